package dev.hallpass.github;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Conditional GETs: remembers the {@code ETag} of each 200 answer and sends it back as {@code If-None-Match}; on
 * {@code 304 Not Modified} (which GitHub does not count against the rate limit) the remembered body is served as a
 * 200, so callers never see the difference. Entries are per credential (a hash of the Authorization header: what one
 * token may see is not served to another) and per URL, in an LRU bounded by entries and by {@link #MAX_BYTES} of
 * bodies; bodies over {@link #MAX_BODY} are not kept.
 */
final class ConditionalConnector implements GitHubConnector {
    static final int MAX_BODY = 1 << 20;
    static final long MAX_BYTES = 64L << 20;

    private record Entry(String etag, Map<String, List<String>> headers, byte[] body) {}

    private final GitHubConnector delegate;
    private final int maxEntries;
    /** Access-ordered; guarded by itself. */
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true);

    private long bytes;

    ConditionalConnector(GitHubConnector delegate, int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.maxEntries = maxEntries;
    }

    private Entry get(String key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private void remove(String key) {
        synchronized (cache) {
            Entry old = cache.remove(key);
            if (old != null) {
                bytes -= old.body().length;
            }
        }
    }

    private void put(String key, Entry e) {
        synchronized (cache) {
            Entry old = cache.put(key, e);
            bytes += e.body().length - (old == null ? 0 : old.body().length);
            java.util.Iterator<Entry> eldest = cache.values().iterator();
            while ((cache.size() > maxEntries || bytes > MAX_BYTES) && eldest.hasNext()) {
                bytes -= eldest.next().body().length;
                eldest.remove();
            }
        }
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        if (!"GET".equals(request.method())) {
            return delegate.send(request);
        }
        String key = identity(request.header("Authorization")) + " " + request.url();
        Entry known = get(key);
        GitHubConnectorRequest sent = known == null ? request : new WithHeader(request, "If-None-Match", known.etag());
        GitHubConnectorResponse r = delegate.send(sent);
        if (r.statusCode() == 304 && known != null) {
            r.close();
            return new BoundedHttpConnector.Response(request, 200, known.headers(), known.body());
        }
        if (sent != request && r instanceof BoundedHttpConnector.Response b) {
            // hub4j reads its own request back from the response (to bind parsed objects to its client).
            r = new BoundedHttpConnector.Response(request, b.statusCode(), b.allHeaders(), b.body());
        }
        String etag = r.header("ETag");
        if (r.statusCode() == 200 && etag != null && r instanceof BoundedHttpConnector.Response b) {
            if (b.body().length <= MAX_BODY) {
                put(key, new Entry(etag, r.allHeaders(), b.body()));
            }
        } else if (r.statusCode() != 304) {
            remove(key);
        }
        return r;
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private static String identity(String authorization) {
        if (authorization == null) {
            return "-";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(authorization.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same request with one more header. */
    private static final class WithHeader implements GitHubConnectorRequest {
        private final GitHubConnectorRequest base;
        private final Map<String, List<String>> headers;

        WithHeader(GitHubConnectorRequest base, String name, String value) {
            this.base = base;
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            base.allHeaders().forEach((k, v) -> {
                if (k != null) {
                    h.put(k, v);
                }
            });
            h.put(name, List.of(value));
            this.headers = Collections.unmodifiableMap(h);
        }

        @Override
        public String method() {
            return base.method();
        }

        @Override
        public Map<String, List<String>> allHeaders() {
            return headers;
        }

        @Override
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public String contentType() {
            return base.contentType();
        }

        @Override
        public InputStream body() {
            return base.body();
        }

        @Override
        public URL url() {
            return base.url();
        }

        @Override
        public boolean hasBody() {
            return base.hasBody();
        }
    }
}
