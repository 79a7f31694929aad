package dev.hallpass.github;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/** Counts every HTTP exchange hub4j (or our raw calls) makes, so API budgets can be measured, not guessed. */
final class CountingConnector implements GitHubConnector {
    private final GitHubConnector delegate;
    private final AtomicLong calls = new AtomicLong();

    CountingConnector(GitHubConnector delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        calls.incrementAndGet();
        return delegate.send(request);
    }

    long calls() {
        return calls.get();
    }
}
