package dev.hallpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Open Policy Agent over its REST Data API: {@code POST {url}/v1/data/{path}} with {@code {"input": ...}}.
 * A body without {@code result} means undefined; error bodies carry OPA's {@code code}, {@code message}
 * and {@code errors}. Connection failures, timeouts and 502/503/504 are retried a bounded number of times
 * with back-off; evaluation errors are not, since the same input fails the same way.
 */
public final class OpaRestEngine implements PolicyEngine {

    /** Connection and timing settings; the defaults suit an OPA sidecar. */
    public record Options(
            Duration connectTimeout,
            Duration readTimeout,
            int retries,
            Duration backoff,
            Optional<String> bearerToken) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(bearerToken, "bearerToken");
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be between 0 and 10");
            }
        }

        public static Options defaults() {
            return new Options(
                    Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(100), Optional.empty());
        }

        public Options withBearerToken(String token) {
            return new Options(connectTimeout, readTimeout, retries, backoff, Optional.ofNullable(token));
        }

        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(connect, read, retries, backoff, bearerToken);
        }

        public Options withRetries(int n, Duration backoff) {
            return new Options(connectTimeout, readTimeout, n, backoff, bearerToken);
        }
    }

    /** How to wait between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Options options;
    private final HttpClient http;
    private final Sleeper sleeper;

    public OpaRestEngine(URI base, Options options) {
        this(base, options, d -> Thread.sleep(d.toMillis()));
    }

    public OpaRestEngine(URI base, Options options, Sleeper sleeper) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.options = options;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String describe() {
        return "OPA at " + base;
    }

    @Override
    public PolicyResult evaluate(String path, JsonNode input) {
        byte[] body;
        try {
            ObjectNode doc = JSON.createObjectNode();
            // No input at all is not the same as a null input: OPA leaves input undefined when the key is absent.
            if (input != null && !input.isMissingNode()) {
                doc.set("input", input);
            }
            body = JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.ERROR, "invalid_input", "cannot encode input: " + e.getMessage(), List.of());
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(dataUri(path))
                .timeout(options.readTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        options.bearerToken().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        HttpRequest request = req.build();

        PolicyResult last = null;
        for (int attempt = 0; attempt <= options.retries(); attempt++) {
            if (attempt > 0) {
                try {
                    sleeper.sleep(options.backoff().multipliedBy(1L << (attempt - 1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return last;
                }
            }
            last = once(request);
            if (!retryable(last)) {
                return last;
            }
        }
        return last;
    }

    /** What OPA's Health API said: healthy, or why not (OPA's own error, or why it could not be asked). */
    public record Health(boolean healthy, String detail) {}

    /**
     * Asks {@code GET /health?bundles=true}: 200 once OPA is up and every configured bundle has been activated,
     * 500 with OPA's {@code error} otherwise. An OPA that has not loaded the Hallpass bundle yet would answer
     * every decision with undefined (a denial), so serve checks this at start and in {@code /readyz}.
     */
    public Health health() {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/health?bundles=true"))
                .timeout(options.readTimeout())
                .header("Accept", "application/json")
                .GET();
        options.bearerToken().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return new Health(
                    false,
                    "OPA at " + base + " did not answer within "
                            + options.readTimeout().toMillis() + " ms");
        } catch (IOException e) {
            return new Health(false, "cannot reach OPA at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(false, "interrupted");
        }
        if (resp.statusCode() == 200) {
            return new Health(true, "OPA at " + base + " is healthy, bundles activated");
        }
        String error;
        try {
            error = JSON.readTree(resp.body()).path("error").asText("");
        } catch (IOException e) {
            error = "";
        }
        return new Health(
                false,
                "OPA at " + base + " is not healthy (HTTP " + resp.statusCode() + ")"
                        + (error.isBlank() ? "" : ": " + error));
    }

    private PolicyResult once(HttpRequest request) {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.UNREACHABLE,
                    "engine_unreachable",
                    "connecting to " + base + " timed out",
                    List.of());
        } catch (HttpTimeoutException e) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.TIMEOUT,
                    "engine_timeout",
                    "OPA did not answer within " + options.readTimeout().toMillis() + " ms",
                    List.of());
        } catch (ConnectException e) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.UNREACHABLE, "engine_unreachable", "cannot connect to " + base, List.of());
        } catch (IOException e) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.UNREACHABLE, "engine_unreachable", "talking to " + base + ": " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PolicyResult.Failed(PolicyResult.Kind.TIMEOUT, "engine_timeout", "interrupted", List.of());
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(resp.body());
        } catch (IOException e) {
            doc = null;
        }
        if (resp.statusCode() == 200) {
            if (doc == null || !doc.isObject()) {
                return new PolicyResult.Failed(
                        PolicyResult.Kind.ERROR,
                        "invalid_response",
                        "OPA answered 200 without a JSON object",
                        List.of());
            }
            Optional<String> decisionId = Optional.ofNullable(doc.get("decision_id"))
                    .filter(JsonNode::isTextual)
                    .map(JsonNode::asText);
            JsonNode result = doc.get("result");
            return result == null
                    ? new PolicyResult.Undefined(decisionId)
                    : new PolicyResult.Defined(result, decisionId);
        }
        return error(resp.statusCode(), doc);
    }

    private static PolicyResult.Failed error(int status, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            return new PolicyResult.Failed(
                    PolicyResult.Kind.ERROR, "http_" + status, "OPA answered HTTP " + status, List.of());
        }
        String code = doc.path("code").asText("http_" + status);
        String message = doc.path("message").asText("HTTP " + status);
        List<PolicyResult.Detail> details = new ArrayList<>();
        for (JsonNode e : doc.path("errors")) {
            JsonNode loc = e.path("location");
            details.add(new PolicyResult.Detail(
                    e.path("code").asText(""),
                    e.path("message").asText(""),
                    loc.hasNonNull("file") ? Optional.of(loc.get("file").asText()) : Optional.empty(),
                    loc.path("row").asInt(0),
                    loc.path("col").asInt(0)));
        }
        boolean policyBroken = details.stream().anyMatch(d -> d.code().startsWith("rego_"));
        PolicyResult.Kind kind = policyBroken ? PolicyResult.Kind.POLICY : PolicyResult.Kind.ERROR;
        return new PolicyResult.Failed(kind, code, message + " (HTTP " + status + ")", details);
    }

    private static boolean retryable(PolicyResult r) {
        if (!(r instanceof PolicyResult.Failed f)) {
            return false;
        }
        return f.kind() == PolicyResult.Kind.UNREACHABLE
                || f.kind() == PolicyResult.Kind.TIMEOUT
                || f.code().equals("http_502")
                || f.code().equals("http_503")
                || f.code().equals("http_504");
    }

    private URI dataUri(String path) {
        StringBuilder sb = new StringBuilder(base.toString()).append("/v1/data");
        for (String seg : path.split("[/.]")) {
            if (!seg.isEmpty()) {
                sb.append('/')
                        .append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return URI.create(sb.toString());
    }
}
