package dev.hallpass.github.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.github.WebhookSignature;
import dev.hallpass.github.standin.StandInRepository.ReviewEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInWebhookTest {
    private static final String SECRET = "s3cret-for-tests";
    private static final RepoName REPO = new RepoName("acme", "access");

    /** What a receiving server saw. */
    record Received(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger replyStatus = new AtomicInteger(202);
    private HttpServer receiver;
    private GitHubStandIn hub;
    private StandInRepository repo;

    @BeforeEach
    void setUp() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhook", ex -> {
            Map<String, String> h = new java.util.HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            received.add(new Received(h, ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(replyStatus.get(), -1);
            ex.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.start();
        hub = new GitHubStandIn(new dev.hallpass.testing.MutableClock(Instant.parse("2026-03-02T09:00:00Z"))).start();
        hub.createUser("alice");
        hub.createUser("bob");
        repo = hub.createRepository(REPO, Map.of("README.md", "hi\n"));
        hub.installApp(hub.registerApp("hallpass", dev.hallpass.github.AppAuthKeys.publicKey(), "acme"), "acme", REPO);
        hub.configureWebhook("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook", SECRET, false);
    }

    @AfterEach
    void tearDown() {
        hub.close();
        receiver.stop(0);
    }

    private int openPr(String id) {
        repo.pushBranch("req/" + id, "main", Map.of("requests/" + id + ".yaml", "id: " + id + "\n"), "alice", id);
        return repo.openPullRequest("alice", "req/" + id, "main", "Request " + id, "body");
    }

    @Test
    void delivery_whenPrOpened_carriesGitHubHeadersAndValidSignature() {
        int n = openPr("w1");

        assertEquals(1, received.size());
        Received r = received.get(0);
        assertEquals("pull_request", r.header("X-GitHub-Event"));
        UUID.fromString(r.header("X-GitHub-Delivery"));
        assertTrue(r.header("User-Agent").startsWith("GitHub-Hookshot/"));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertTrue(WebhookSignature.verify(SECRET, r.body(), r.header("X-Hub-Signature-256")));

        WebhookEvent e = WebhookEvent.parse(r.header("X-GitHub-Event"), r.body());
        assertEquals("opened", e.action());
        assertEquals(REPO, e.repo());
        assertEquals("alice", e.sender());
        assertEquals(n, e.pullRequestNumber().orElseThrow());
        assertEquals(repo.pullRequest(n).headSha(), e.headSha().orElseThrow());
        assertTrue(e.installationId().isPresent());
        assertTrue(e.isRelevant());
        assertEquals(202, hub.deliveries().get(0).lastStatus());
    }

    @Test
    void deliveries_whenPeopleAct_followTheLifecycleInOrder() {
        int n = openPr("w2");
        repo.pushBranch("req/w2", null, Map.of("requests/w2.yaml", "id: w2\nrole: x\n"), "alice", "amend");
        long review = repo.submitReview(n, "bob", ReviewEvent.APPROVE, null);
        repo.dismissReview(n, review, "bob", "oops");
        long c = repo.comment(n, "bob", "/hallpass recheck");
        repo.editComment(c, "bob", "/hallpass recheck please");
        repo.deleteComment(c, "bob");
        repo.closePullRequest(n, "alice");
        repo.reopenPullRequest(n, "alice");
        repo.mergePullRequest(n, "bob");

        List<String> seen = new ArrayList<>();
        for (Received r : received) {
            WebhookEvent e = WebhookEvent.parse(r.header("X-GitHub-Event"), r.body());
            seen.add(e.event() + "." + e.action());
            assertEquals(n, e.pullRequestNumber().orElseThrow(), "every event here is about the PR");
        }
        assertEquals(
                List.of(
                        "pull_request.opened",
                        "pull_request.synchronize",
                        "pull_request_review.submitted",
                        "pull_request_review.dismissed",
                        "issue_comment.created",
                        "issue_comment.edited",
                        "issue_comment.deleted",
                        "pull_request.closed",
                        "pull_request.reopened",
                        "pull_request.closed"),
                seen);
        JsonNode merged = json(received.get(received.size() - 1).body());
        assertTrue(merged.path("pull_request").path("merged").asBoolean());
        JsonNode edited = json(received.get(5).body());
        assertEquals(
                "/hallpass recheck",
                edited.path("changes").path("body").path("from").asText());
        JsonNode sync = json(received.get(1).body());
        assertNotEquals(sync.path("before").asText(), sync.path("after").asText());
        assertEquals(
                sync.path("after").asText(),
                sync.path("pull_request").path("head").path("sha").asText());
    }

    @Test
    void deliveries_whenLabelledAndEdited_sendLabeledUnlabeledEdited() {
        int n = openPr("w9");
        repo.addLabel(n, "bob", "emergency");
        repo.addLabel(n, "bob", "emergency"); // already there: no event
        repo.removeLabel(n, "bob", "emergency");
        repo.editPullRequest(n, "alice", "Request w9 (narrowed)", null);

        List<String> seen = new ArrayList<>();
        for (Received r : received) {
            seen.add(r.header("X-GitHub-Event") + "."
                    + json(r.body()).path("action").asText());
        }
        assertEquals(
                List.of("pull_request.opened", "pull_request.labeled", "pull_request.unlabeled", "pull_request.edited"),
                seen);
        assertEquals(
                "emergency",
                json(received.get(1).body()).path("label").path("name").asText());
        JsonNode edited = json(received.get(3).body());
        assertEquals(
                "Request w9", edited.path("changes").path("title").path("from").asText());
        assertEquals(
                "Request w9 (narrowed)",
                edited.path("pull_request").path("title").asText());
        assertTrue(received.get(0).header("X-Hub-Signature").startsWith("sha1="));
    }

    @Test
    void redeliver_whenCalled_resendsSameIdAndBytes() {
        openPr("w3");
        WebhookDelivery first = hub.deliveries().get(0);

        hub.redeliver(first.id());

        assertEquals(2, received.size());
        assertEquals(
                received.get(0).header("X-GitHub-Delivery"), received.get(1).header("X-GitHub-Delivery"));
        assertEquals(
                new String(received.get(0).body()), new String(received.get(1).body()));
        assertEquals(List.of(202, 202), hub.deliveries().get(0).responseStatuses());
    }

    @Test
    void delivery_whenReceiverFails_recordsStatusAndDoesNotRetry() {
        replyStatus.set(500);
        openPr("w4");
        assertEquals(List.of(500), hub.deliveries().get(0).responseStatuses());
        assertEquals(1, received.size(), "GitHub does not retry failed deliveries by itself");
    }

    @Test
    void deliveries_whenAsync_arriveAfterAwait() {
        hub.configureWebhook("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook", SECRET, true);
        openPr("w5");
        openPr("w6");
        hub.awaitDeliveries();
        assertEquals(2, received.size());
    }

    @Test
    void delivery_whenBotCallsBackDuringDelivery_doesNotDeadlock() throws Exception {
        // A receiver that comments synchronously on the PR while handling the delivery, as a naive bot would.
        receiver.removeContext("/webhook");
        String token = hub.issueToken("bob");
        receiver.createContext("/webhook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(
                    new Received(Map.of("x-github-event", ex.getRequestHeaders().getFirst("X-GitHub-Event")), body));
            if ("pull_request".equals(ex.getRequestHeaders().getFirst("X-GitHub-Event"))) {
                int n = json(body).path("number").asInt();
                try {
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                    hub.baseUrl() + "/repos/acme/access/issues/" + n + "/comments"))
                                            .header("Authorization", "token " + token)
                                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                                    "{\"body\":\"seen\"}"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        int n = openPr("w7");
        assertEquals("seen", repo.comments(n).get(0).body());
        assertEquals("issue_comment", received.get(1).header("X-GitHub-Event"));
    }

    @Test
    void payloads_whenComparedWithGitHubExamples_haveTheSameTopLevelKeys() throws IOException {
        String shared = System.getProperty("hallpass.shared");
        Assumptions.assumeTrue(
                shared != null && Files.isDirectory(Path.of(shared, "github-reference")),
                "../shared/github-reference not available");
        Path dir = Path.of(shared, "github-reference", "webhook-payloads");
        int n = openPr("w8");
        repo.pushBranch("req/w8", null, Map.of("requests/w8.yaml", "id: w8\nrole: y\n"), "alice", "amend");
        long review = repo.submitReview(n, "bob", ReviewEvent.APPROVE, null);
        repo.dismissReview(n, review, "bob", "oops");
        long c = repo.comment(n, "bob", "hi");
        repo.editComment(c, "bob", "hi!");
        repo.deleteComment(c, "bob");
        repo.addLabel(n, "bob", "emergency");
        repo.mergePullRequest(n, "bob");

        Map<String, String> examples = Map.of(
                "pull_request.labeled", "pull_request/labeled.json",
                "pull_request.opened", "pull_request/opened.json",
                "pull_request.synchronize", "pull_request/synchronize.json",
                "pull_request.closed", "pull_request/closed.json",
                "pull_request_review.submitted", "pull_request_review/submitted.json",
                "pull_request_review.dismissed", "pull_request_review/dismissed.json",
                "issue_comment.created", "issue_comment/created.with-installation.json",
                "issue_comment.edited", "issue_comment/edited.json",
                "issue_comment.deleted", "issue_comment/deleted.json");
        Set<String> checked = new HashSet<>();
        for (Received r : received) {
            JsonNode ours = json(r.body());
            String key = r.header("X-GitHub-Event") + "." + ours.path("action").asText();
            JsonNode theirs =
                    new ObjectMapper().readTree(dir.resolve(examples.get(key)).toFile());
            // Examples differ in whether the repo is org-owned and whether an app is installed.
            Set<String> optional = Set.of("organization", "installation");
            Set<String> expected = keys(theirs);
            expected.removeAll(optional);
            Set<String> actual = keys(ours);
            actual.removeAll(optional);
            assertEquals(expected, actual, key);
            for (String nested : List.of("pull_request", "review", "comment", "issue")) {
                if (theirs.has(nested)) {
                    Set<String> missing = keys(theirs.get(nested));
                    missing.removeAll(keys(ours.get(nested)));
                    missing.removeAll(Set.of(
                            "performed_via_github_app",
                            "timeline_url",
                            "state_reason",
                            "pin",
                            "sub_issues_summary",
                            "issue_dependencies_summary",
                            "type",
                            "pinned_comment"));
                    assertEquals(Set.of(), missing, key + " " + nested + " lacks keys");
                }
            }
            checked.add(key);
        }
        assertEquals(examples.keySet(), checked);
    }

    @Test
    void payloads_whenCheckedAgainstWebhookSchemas_conform() throws IOException {
        String shared = System.getProperty("hallpass.shared");
        Path file =
                shared == null ? null : Path.of(shared, "github-reference", "openapi", "pr-bot-webhooks-subset.json");
        Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "webhook schemas not available");
        JsonNode spec = new ObjectMapper().readTree(file.toFile());
        int n = openPr("s1");
        repo.pushBranch("req/s1", null, Map.of("requests/s1.yaml", "id: s1\nrole: y\n"), "alice", "amend");
        long review = repo.submitReview(n, "bob", ReviewEvent.APPROVE, null);
        repo.dismissReview(n, review, "bob", "oops");
        long c = repo.comment(n, "bob", "hi");
        repo.editComment(c, "bob", "hi!");
        repo.deleteComment(c, "bob");
        repo.addLabel(n, "bob", "emergency");
        repo.editPullRequest(n, "alice", "new title", null);
        repo.closePullRequest(n, "alice");
        repo.reopenPullRequest(n, "alice");
        repo.mergePullRequest(n, "bob");

        OpenApiChecker checker = new OpenApiChecker(spec);
        List<String> problems = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (Received r : received) {
            JsonNode body = json(r.body());
            String name =
                    (r.header("X-GitHub-Event") + "-" + body.path("action").asText()).replace('_', '-');
            JsonNode schema = spec.path("x-webhooks")
                    .path(name)
                    .path("post")
                    .path("requestBody")
                    .path("content")
                    .path("application/json")
                    .path("schema");
            if (schema.isMissingNode()) {
                problems.add(name + ": no schema");
                continue;
            }
            problems.addAll(checker.check(schema, body, name + " $"));
            checked.add(name);
        }
        assertEquals(List.of(), problems);
        assertEquals(11, checked.size(), checked.toString());
    }

    @Test
    void parse_whenRealGitHubExamples_extractsRoutingFields() throws IOException {
        String shared = System.getProperty("hallpass.shared");
        Assumptions.assumeTrue(
                shared != null && Files.isDirectory(Path.of(shared, "github-reference")),
                "../shared/github-reference not available");
        Path dir = Path.of(shared, "github-reference", "webhook-payloads");
        int parsed = 0;
        for (String event : List.of("pull_request", "pull_request_review", "issue_comment")) {
            try (var files = Files.list(dir.resolve(event))) {
                for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                    Path f = it.next();
                    WebhookEvent e = WebhookEvent.parse(event, Files.readAllBytes(f));
                    String action = f.getFileName().toString().split("\\.")[0];
                    assertEquals(action, e.action(), f.toString());
                    assertTrue(e.repo().fullName().contains("/"), f.toString());
                    if (!event.equals("issue_comment")) {
                        assertTrue(e.pullRequestNumber().isPresent(), f.toString());
                        assertTrue(e.headSha().orElseThrow().matches("[0-9a-f]{40}"), f.toString());
                    }
                    if (event.equals("pull_request_review")) {
                        dev.hallpass.github.Review.State.valueOf(e.reviewState().orElseThrow());
                    }
                    if (event.equals("issue_comment")) {
                        assertTrue(e.commentId().isPresent(), f.toString());
                    }
                    parsed++;
                }
            }
        }
        assertTrue(parsed >= 20, "parsed " + parsed);
        WebhookEvent withInstallation = WebhookEvent.parse(
                "issue_comment", Files.readAllBytes(dir.resolve("issue_comment/created.with-installation.json")));
        assertTrue(withInstallation.installationId().isPresent());
        WebhookEvent ping = WebhookEvent.parse("check_run", Files.readAllBytes(dir.resolve("check_run/created.json")));
        assertTrue(!ping.isRelevant());
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode json(byte[] b) {
        try {
            return new ObjectMapper().readTree(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
