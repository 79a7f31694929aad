package dev.hallpass.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * hub4j's connector contract over {@link HttpClient}, with every exchange bounded: a connect timeout on the client,
 * and a deadline for the whole exchange (headers and body) per request. hub4j's own {@code HttpClientGitHubConnector}
 * sets no request timeout and streams the body, so a server that accepts and never answers (or stalls half way
 * through a body) would hold a worker forever. Bodies are read whole: GitHub's answers here are small, and a buffered
 * body can be replayed from the ETag cache.
 */
final class BoundedHttpConnector implements GitHubConnector {
    private final HttpClient client;
    private final GitHubTimeouts timeouts;

    BoundedHttpConnector(GitHubTimeouts timeouts) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        // hub4j handles redirects itself (it needs to see them), so the client must not follow any.
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeouts.connect())
                .build();
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(timeouts.read());
        try {
            b.uri(request.url().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Invalid URL " + request.url(), e);
        }
        for (Map.Entry<String, List<String>> h : request.allHeaders().entrySet()) {
            if (h.getKey() != null && h.getValue() != null) {
                b.header(h.getKey(), String.join(",", h.getValue()));
            }
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (request.hasBody()) {
            try (InputStream in = request.body()) {
                body = HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes());
            }
        }
        b.method(request.method(), body);
        String what = request.method() + " " + request.url();
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        // The request timeout only covers the wait for the headers; this deadline covers a body that stalls too.
        long deadline = timeouts.connect().plus(timeouts.read()).toMillis();
        try {
            HttpResponse<byte[]> r = future.get(deadline, TimeUnit.MILLISECONDS);
            return new Response(request, r.statusCode(), r.headers().map(), r.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(what, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException(what + ": interrupted");
            io.initCause(e);
            throw io;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) {
                throw timeout(what, c);
            }
            if (c instanceof IOException io) {
                throw new IOException(what + ": " + io.getMessage(), io);
            }
            throw new IOException(what + ": " + c, c);
        }
    }

    private HttpTimeoutException timeout(String what, Throwable cause) {
        HttpTimeoutException t = new HttpTimeoutException(
                what + ": no answer from GitHub within " + timeouts.read().toMillis() + " ms (connect timeout "
                        + timeouts.connect().toMillis() + " ms)");
        t.initCause(cause);
        return t;
    }

    /** A fully read response; {@link #body()} gives the raw (possibly gzip-encoded) bytes for the ETag cache. */
    static final class Response extends GitHubConnectorResponse.ByteArrayResponse {
        private final byte[] body;

        Response(GitHubConnectorRequest request, int status, Map<String, List<String>> headers, byte[] body) {
            super(request, status, headers);
            this.body = body == null ? new byte[0] : body;
        }

        byte[] body() {
            return body;
        }

        @Override
        protected InputStream rawBodyStream() {
            return new ByteArrayInputStream(body);
        }
    }
}
