package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/** The ETag layer on its own: what it sends, and what it serves for a 304. */
class ConditionalConnectorTest {
    /** A server whose resources have fixed ETags; answers 304 when If-None-Match names the current one. */
    private final List<String> sentIfNoneMatch = new ArrayList<>();

    private GitHubConnectorResponse serve(GitHubConnectorRequest r) {
        sentIfNoneMatch.add(r.header("If-None-Match"));
        String path = r.url().getPath();
        String etag = "W/\"" + path.hashCode() + "\"";
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("ETag", List.of(etag));
        if (etag.equals(r.header("If-None-Match"))) {
            return new BoundedHttpConnector.Response(r, 304, h, new byte[0]);
        }
        return new BoundedHttpConnector.Response(r, 200, h, path.getBytes(StandardCharsets.UTF_8));
    }

    private static GitHubConnectorRequest get(String path, String auth) throws Exception {
        URL url = new URL("http://127.0.0.1" + path);
        return new GitHubConnectorRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public Map<String, List<String>> allHeaders() {
                return Map.of("Authorization", List.of(auth));
            }

            @Override
            public String header(String name) {
                return name.equalsIgnoreCase("Authorization") ? auth : null;
            }

            @Override
            public String contentType() {
                return null;
            }

            @Override
            public InputStream body() {
                return null;
            }

            @Override
            public URL url() {
                return url;
            }

            @Override
            public boolean hasBody() {
                return false;
            }
        };
    }

    @Test
    void send_whenRepeated_revalidatesAndServesTheRememberedBodyOn304() throws Exception {
        ConditionalConnector c = new ConditionalConnector(this::serve, 10);
        GitHubConnectorRequest req = get("/repos/a/b/pulls/1", "token one");

        c.send(req);
        GitHubConnectorResponse again = c.send(req);

        assertEquals(200, again.statusCode(), "callers never see the 304");
        assertArrayEquals(
                "/repos/a/b/pulls/1".getBytes(StandardCharsets.UTF_8),
                again.bodyStream().readAllBytes());
        assertEquals(req, again.request(), "hub4j binds what it parses to its own request");
        assertNull(sentIfNoneMatch.get(0));
        assertEquals("W/\"" + "/repos/a/b/pulls/1".hashCode() + "\"", sentIfNoneMatch.get(1));
    }

    @Test
    void send_whenAnotherCredential_doesNotReuseTheEntry() throws Exception {
        ConditionalConnector c = new ConditionalConnector(this::serve, 10);
        c.send(get("/repos/a/b/pulls/1", "token one"));

        c.send(get("/repos/a/b/pulls/1", "token two"));

        assertNull(sentIfNoneMatch.get(1), "what one token may see is not served to another");
    }

    @Test
    void send_whenMoreResourcesThanEntries_forgetsTheLeastRecentlyUsed() throws Exception {
        ConditionalConnector c = new ConditionalConnector(this::serve, 2);
        c.send(get("/a", "t"));
        c.send(get("/b", "t"));
        c.send(get("/c", "t"));

        c.send(get("/a", "t"));

        assertEquals(2, c.size());
        assertNull(sentIfNoneMatch.get(3), "/a was evicted");
    }
}
