package dev.hallpass.github;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one GitHub call may take: {@code connect} to open the connection, {@code read} for the whole exchange
 * after that (request sent, headers and body received). Every call the gateway makes, token refreshes included, is
 * bounded by these, so one hung request holds one worker for at most {@code connect + read}.
 */
public record GitHubTimeouts(Duration connect, Duration read) {
    public static final GitHubTimeouts DEFAULT = new GitHubTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

    public GitHubTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("GitHub timeouts must be positive, got " + connect + " / " + read);
        }
    }

    /** A read timeout, with the default connect timeout unless that is longer than the read timeout. */
    public static GitHubTimeouts read(Duration read) {
        Duration connect = DEFAULT.connect().compareTo(read) > 0 ? read : DEFAULT.connect();
        return new GitHubTimeouts(connect, read);
    }
}
