package dev.hallpass.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the adapter against a local HTTP server that answers the way OPA's REST API documentation
 * (shared/opa-reference/rest-api.md, "Data API" and "Errors") shows.
 */
class OpaRestEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server answers next, in order; the last one repeats. */
    private record Answer(int status, String body, long delayMillis) {}

    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth="
                + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
        Answer a = answers.size() > 1 ? answers.poll() : answers.peek();
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private OpaRestEngine engine(OpaRestEngine.Options options) {
        return new OpaRestEngine(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), options, slept::add);
    }

    private static JsonNode input() throws IOException {
        return JSON.readTree("{\"example\": {\"flag\": true}}");
    }

    @Test
    void evaluate_whenResultDefined_returnsValueAndDecisionId() throws IOException {
        answers.add(new Answer(200, "{\"result\": {\"allow\": true}, \"decision_id\": \"d-1\"}", 0));
        PolicyResult r = engine(OpaRestEngine.Options.defaults().withBearerToken("s3cret"))
                .evaluate("hallpass/access/decision", input());
        PolicyResult.Defined d = assertInstanceOf(PolicyResult.Defined.class, r);
        assertTrue(d.value().get("allow").asBoolean());
        assertEquals(Optional.of("d-1"), d.decisionId());
        assertEquals(
                "POST /v1/data/hallpass/access/decision auth=Bearer s3cret {\"input\":{\"example\":{\"flag\":true}}}",
                seen.get(0));
    }

    @Test
    void health_whenOpaIsHealthy_asksForBundleActivation() {
        answers.add(new Answer(200, "{}", 0));
        OpaRestEngine.Health h =
                engine(OpaRestEngine.Options.defaults().withBearerToken("t0k")).health();
        assertTrue(h.healthy(), h.detail());
        assertTrue(seen.get(0).startsWith("GET /health?bundles=true auth=Bearer t0k"), seen.get(0));
    }

    @Test
    void health_whenBundlesAreNotActivated_isUnhealthyWithOpasReason() {
        answers.add(new Answer(500, "{\"error\": \"not all configured bundles have been activated\"}", 0));
        OpaRestEngine.Health h = engine(OpaRestEngine.Options.defaults()).health();
        assertEquals(false, h.healthy());
        assertTrue(h.detail().contains("HTTP 500") && h.detail().contains("bundles have been activated"), h.detail());
    }

    @Test
    void health_whenOpaIsHung_isUnhealthyWithinTheReadTimeout() {
        answers.add(new Answer(200, "{}", 3000));
        OpaRestEngine.Health h = engine(
                        OpaRestEngine.Options.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)))
                .health();
        assertEquals(false, h.healthy());
        assertTrue(h.detail().contains("did not answer within 200 ms"), h.detail());
    }

    @Test
    void evaluate_whenBodyHasNoResult_isUndefined() throws IOException {
        answers.add(new Answer(200, "{}", 0));
        assertInstanceOf(
                PolicyResult.Undefined.class,
                engine(OpaRestEngine.Options.defaults()).evaluate("a/b", input()));
    }

    @Test
    void evaluate_whenEvaluationError_returnsTypedErrorWithoutRetry() throws IOException {
        answers.add(new Answer(
                500,
                """
                {"code": "internal_error", "message": "error(s) occurred while evaluating query",
                 "errors": [{"code": "eval_conflict_error", "message": "complete rules must not produce multiple outputs",
                             "location": {"file": "policy.rego", "row": 7, "col": 1}}]}
                """,
                0));
        PolicyResult.Failed f = assertInstanceOf(
                PolicyResult.Failed.class,
                engine(OpaRestEngine.Options.defaults()).evaluate("a", input()));
        assertEquals(PolicyResult.Kind.ERROR, f.kind());
        assertEquals("internal_error", f.code());
        assertEquals("eval_conflict_error", f.errors().get(0).code());
        assertEquals(
                "policy.rego:7:1: eval_conflict_error: complete rules must not produce multiple outputs",
                f.errors().get(0).describe());
        assertEquals(1, calls.get());
    }

    @Test
    void evaluate_whenPolicyDoesNotCompile_reportsPolicyKind() throws IOException {
        answers.add(new Answer(
                400,
                """
                {"code": "invalid_parameter", "message": "error(s) occurred while compiling module(s)",
                 "errors": [{"code": "rego_unsafe_var_error", "message": "var x is unsafe",
                             "location": {"file": "example.rego", "row": 3, "col": 1}}]}
                """,
                0));
        PolicyResult.Failed f = assertInstanceOf(
                PolicyResult.Failed.class,
                engine(OpaRestEngine.Options.defaults()).evaluate("a", input()));
        assertEquals(PolicyResult.Kind.POLICY, f.kind());
    }

    @Test
    void evaluate_whenServerTooSlow_timesOutAfterBoundedRetries() throws IOException {
        answers.add(new Answer(200, "{\"result\": true}", 1500));
        OpaRestEngine.Options opts = OpaRestEngine.Options.defaults()
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(200))
                .withRetries(2, Duration.ofMillis(50));
        PolicyResult.Failed f =
                assertInstanceOf(PolicyResult.Failed.class, engine(opts).evaluate("a", input()));
        assertEquals(PolicyResult.Kind.TIMEOUT, f.kind());
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100)), slept);
    }

    @Test
    void evaluate_whenUnavailableThenUp_retriesAndSucceeds() throws IOException {
        answers.add(new Answer(503, "upstream down", 0));
        answers.add(new Answer(200, "{\"result\": 42}", 0));
        PolicyResult.Defined d = assertInstanceOf(
                PolicyResult.Defined.class,
                engine(OpaRestEngine.Options.defaults()).evaluate("a", input()));
        assertEquals(42, d.value().asInt());
        assertEquals(2, calls.get());
    }

    @Test
    void evaluate_whenNothingListens_isUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpaRestEngine e = new OpaRestEngine(
                URI.create("http://127.0.0.1:" + port),
                OpaRestEngine.Options.defaults().withRetries(1, Duration.ofMillis(1)),
                slept::add);
        PolicyResult.Failed f = assertInstanceOf(PolicyResult.Failed.class, e.evaluate("a", input()));
        assertEquals(PolicyResult.Kind.UNREACHABLE, f.kind());
        assertEquals(1, slept.size());
    }

    @Test
    void evaluate_whenPathHasOddCharacters_encodesSegments() throws IOException {
        answers.add(new Answer(200, "{}", 0));
        engine(OpaRestEngine.Options.defaults()).evaluate("a b/c?d", input());
        assertTrue(seen.get(0).startsWith("POST /v1/data/a%20b/c%3Fd "), seen.get(0));
    }
}
