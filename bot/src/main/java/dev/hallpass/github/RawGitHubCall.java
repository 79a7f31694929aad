package dev.hallpass.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * The few REST calls hub4j does not model the way we need (merge with a title and the merged sha back, team
 * membership by slug, reviews and PR lists without a user fetch per item). They go through the same connector as
 * hub4j, so they are counted and authenticated identically.
 */
final class RawGitHubCall {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    record Response(int status, JsonNode json, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null
                        && e.getKey().equalsIgnoreCase(name)
                        && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String message() {
            return json != null && json.hasNonNull("message")
                    ? json.get("message").asText()
                    : "HTTP " + status;
        }
    }

    private final String apiUrl;
    private final GitHubConnector connector;
    private final AuthorizationProvider auth;
    private final ObjectMapper mapper;

    RawGitHubCall(String apiUrl, GitHubConnector connector, AuthorizationProvider auth, ObjectMapper mapper) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.connector = connector;
        this.auth = auth;
        this.mapper = mapper;
    }

    Response send(String method, String pathOrUrl, JsonNode body) throws IOException {
        URL url = new URL(pathOrUrl.startsWith("http") ? pathOrUrl : apiUrl + pathOrUrl);
        byte[] bytes = body == null ? null : mapper.writeValueAsBytes(body);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("application/vnd.github+json"));
        headers.put("X-GitHub-Api-Version", List.of("2022-11-28"));
        headers.put("User-Agent", List.of("hallpass"));
        String authorization = auth.getEncodedAuthorization();
        if (authorization != null) {
            headers.put("Authorization", List.of(authorization));
        }
        if (bytes != null) {
            headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        }
        Request request = new Request(method, url, Collections.unmodifiableMap(headers), bytes);
        try (GitHubConnectorResponse r = connector.send(request)) {
            byte[] raw;
            try (InputStream in = r.bodyStream()) {
                raw = in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                // Java's HttpClient connector throws for error bodies it has already consumed; the status still counts.
                raw = new byte[0];
            }
            JsonNode json = raw.length == 0 ? null : parse(raw);
            return new Response(r.statusCode(), json, r.allHeaders());
        }
    }

    private JsonNode parse(byte[] raw) {
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(new String(raw, StandardCharsets.UTF_8));
        }
    }

    /** GET every page of a list endpoint, following the Link header as GitHub asks clients to. */
    List<JsonNode> getAll(String path) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String next = path + (path.contains("?") ? "&" : "?") + "per_page=100";
        int guard = 0;
        while (next != null) {
            Response r = send("GET", next, null);
            if (r.status() != 200) {
                throw new GitHubException(r.status(), "GET " + path + ": " + r.message(), null);
            }
            if (r.json() == null || !r.json().isArray()) {
                throw new GitHubException(r.status(), "GET " + path + ": expected a JSON array", null);
            }
            r.json().forEach(items::add);
            next = nextLink(r.header("Link"));
            if (++guard > 1000) {
                throw new GitHubException(0, "GET " + path + ": pagination does not end", null);
            }
        }
        return items;
    }

    static String nextLink(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        return m.find() ? m.group(1) : null;
    }

    private static final class Request implements GitHubConnectorRequest {
        private final String method;
        private final URL url;
        private final Map<String, List<String>> headers;
        private final byte[] body;

        Request(String method, URL url, Map<String, List<String>> headers, byte[] body) {
            this.method = method;
            this.url = url;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public String method() {
            return method;
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
            return header("Content-Type");
        }

        @Override
        public InputStream body() {
            return body == null ? null : new ByteArrayInputStream(body);
        }

        @Override
        public URL url() {
            return url;
        }

        @Override
        public boolean hasBody() {
            return body != null;
        }
    }
}
