package dev.hallpass.github.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.GitHubException;
import dev.hallpass.github.GitHubRateLimitException;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitHub's HTTP behaviours the bot relies on: auth, pagination links, rate-limit headers, errors, faults. */
class StandInHttpTest {
    private static final RepoName REPO = new RepoName("acme", "access");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:20:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private GitHubStandIn hub;
    private StandInRepository repo;
    private String token;

    @BeforeEach
    void setUp() {
        hub = new GitHubStandIn(clock).start();
        hub.createUser("alice");
        repo = hub.createRepository(REPO, Map.of("README.md", "hi\n"));
        token = hub.issueToken("alice");
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private HttpResponse<String> get(String path, String auth) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : hub.baseUrl() + path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int openPr(String id) {
        repo.pushBranch("b/" + id, "main", Map.of("f/" + id, id), "alice", id);
        return repo.openPullRequest("alice", "b/" + id, "main", "PR " + id, "");
    }

    @Test
    void request_whenNoOrBadCredentials_is401() throws Exception {
        HttpResponse<String> none = get("/repos/acme/access", null);
        HttpResponse<String> bad = get("/repos/acme/access", "token nope");

        assertEquals(401, none.statusCode());
        assertEquals(
                "Requires authentication",
                new ObjectMapper().readTree(none.body()).path("message").asText());
        assertEquals(401, bad.statusCode());
        assertEquals(
                "Bad credentials",
                new ObjectMapper().readTree(bad.body()).path("message").asText());
        assertEquals(200, get("/repos/acme/access", "token " + token).statusCode());
    }

    @Test
    void request_whenUnknownThings_is404() throws Exception {
        assertEquals(404, get("/repos/acme/nope", "token " + token).statusCode());
        assertEquals(404, get("/repos/acme/access/pulls/7", "token " + token).statusCode());
        assertEquals(
                404,
                get("/repos/acme/access/contents/missing.txt", "token " + token).statusCode());
        assertEquals(
                404, get("/repos/acme/access/unsupported", "token " + token).statusCode());
        assertEquals(404, get("/users/nobody", "token " + token).statusCode());
    }

    @Test
    void list_whenPaged_sendsLinkHeaderWithNextAndLast() throws Exception {
        for (int i = 0; i < 5; i++) {
            openPr("p" + i);
        }
        HttpResponse<String> first = get("/repos/acme/access/pulls?state=all&per_page=2", "token " + token);
        String link = first.headers().firstValue("Link").orElseThrow();

        assertEquals(2, new ObjectMapper().readTree(first.body()).size());
        assertTrue(link.contains("rel=\"next\""), link);
        assertTrue(link.contains("page=3") && link.contains("rel=\"last\""), link);
        String lastUrl = link.replaceAll(".*<([^>]+)>; rel=\"last\".*", "$1");
        HttpResponse<String> last = get(lastUrl, "token " + token);
        JsonNode lastPage = new ObjectMapper().readTree(last.body());
        assertEquals(1, lastPage.size());
        assertEquals(1, lastPage.get(0).path("number").asInt(), "newest first, so the oldest is last");
        assertFalse(last.headers().firstValue("Link").orElse("").contains("rel=\"next\""));
    }

    @Test
    void response_whenAuthenticated_carriesRateLimitHeaders() throws Exception {
        get("/repos/acme/access", "token " + token);
        HttpResponse<String> r = get("/repos/acme/access", "token " + token);

        assertEquals("5000", r.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals("4998", r.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertEquals("2", r.headers().firstValue("X-RateLimit-Used").orElseThrow());
        assertEquals(
                String.valueOf(Instant.parse("2026-03-02T10:00:00Z").getEpochSecond()),
                r.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        JsonNode limits =
                new ObjectMapper().readTree(get("/rate_limit", "token " + token).body());
        assertEquals(2, limits.path("resources").path("core").path("used").asInt(), "/rate_limit is free");
    }

    @Test
    void gateway_whenRateLimited_failsFastWithRetryableError() {
        hub.setRateLimit(3);
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), clock);
        int n = openPr("rl");
        gh.comments(REPO, n);
        gh.reviews(REPO, n);
        gh.files(REPO, n);
        GitHubException e = assertThrows(GitHubException.class, () -> gh.comments(REPO, n));
        assertEquals(403, e.status());
        assertTrue(e.isRetryable(), e.getMessage());
        assertInstanceOf(GitHubRateLimitException.class, e);
        assertEquals(
                Instant.ofEpochSecond(nextHour(clock.instant())),
                ((GitHubRateLimitException) e).retryAt(),
                "primary limit: retry at x-ratelimit-reset");
        int seen = hub.requestCount();
        assertThrows(GitHubRateLimitException.class, () -> gh.reviews(REPO, n));
        assertEquals(seen, hub.requestCount(), "nothing is sent while the limit holds");
        clock.advance(Duration.ofHours(1));
        assertEquals(0, gh.comments(REPO, n).size(), "a new window");
    }

    @Test
    void checkRuns_whenListedByBranchWithSlash_resolveToTheTipSha() throws Exception {
        hub.allowChecksFromTokens(true);
        repo.pushBranch("feature/x", "main", Map.of("x", "1"), "alice", "x");
        String sha = repo.branchSha("feature/x").orElseThrow();
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/repos/acme/access/check-runs"))
                        .header("Authorization", "token " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"hallpass\",\"head_sha\":\"" + sha + "\",\"conclusion\":\"neutral\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());

        JsonNode list = new ObjectMapper()
                .readTree(get("/repos/acme/access/commits/feature/x/check-runs?check_name=hallpass", "token " + token)
                        .body());

        assertEquals(1, list.path("total_count").asInt());
        assertEquals("completed", list.path("check_runs").get(0).path("status").asText());
        assertEquals(sha, list.path("check_runs").get(0).path("head_sha").asText());
    }

    @Test
    void apiCalls_whenConcurrent_countsEveryCallOnce() throws Exception {
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), clock);
        int n = openPr("conc");
        gh.comments(REPO, n); // warm-up outside the count
        long before = gh.apiCalls() + gh.notModifiedCalls();
        hub.clearRequestLog();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 6; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        gh.comment(REPO, n, "t" + id + "-" + i);
                        gh.pullRequest(REPO, n);
                    }
                }));
            }
            for (var f : futures) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(60, repo.comments(n).size());
        // 120 calls plus one repository fetch, shared by all threads.
        // (A pull request read may be a free 304: counted and not-modified calls are kept apart.)
        assertEquals(121, gh.apiCalls() + gh.notModifiedCalls() - before);
        assertEquals(121, hub.requestCount());
    }

    @Test
    void failNextRequests_whenMatching_failsThatManyTimes() throws Exception {
        hub.failNextRequests("^/repos/acme/access$", 503, 2);
        assertEquals(503, get("/repos/acme/access", "token " + token).statusCode());
        assertEquals(200, get("/user", "token " + token).statusCode(), "other paths unaffected");
        assertEquals(503, get("/repos/acme/access", "token " + token).statusCode());
        assertEquals(200, get("/repos/acme/access", "token " + token).statusCode());
        assertEquals(4, hub.requestLog().size());
        assertEquals(503, hub.requestLog().get(0).status());
    }

    @Test
    void installationToken_whenExpired_is401() throws Exception {
        long app = hub.registerApp("hallpass", dev.hallpass.github.AppAuthKeys.publicKey(), "acme");
        long inst = hub.installApp(app, "acme", REPO);
        String jwt = dev.hallpass.github.AppJwt.create(
                String.valueOf(app), dev.hallpass.github.AppAuthKeys.privateKey(), clock);
        HttpResponse<String> minted = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/app/installations/" + inst + "/access_tokens"))
                        .header("Authorization", "Bearer " + jwt)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, minted.statusCode());
        String t = new ObjectMapper().readTree(minted.body()).path("token").asText();
        assertTrue(t.startsWith("ghs_"));

        assertEquals(200, get("/repos/acme/access", "token " + t).statusCode());
        assertEquals(403, get("/user", "token " + t).statusCode(), "installations are not users");
        assertEquals(403, get("/repos/acme/access", "Bearer " + jwt).statusCode(), "a JWT is only for app endpoints");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(401, get("/repos/acme/access", "token " + t).statusCode());
        assertEquals(401, get("/app", "Bearer " + jwt).statusCode(), "the JWT expired too");
    }

    @Test
    void jwt_whenExpiryTooFarAhead_isRejected() throws Exception {
        long app = hub.registerApp("hallpass", dev.hallpass.github.AppAuthKeys.publicKey(), "acme");
        // Signed "now" but presented 20 minutes earlier: exp is then ~29 minutes out, beyond GitHub's 10.
        String jwt = dev.hallpass.github.AppJwt.create(
                String.valueOf(app),
                dev.hallpass.github.AppAuthKeys.privateKey(),
                clock.instant().plus(Duration.ofMinutes(20)));
        assertEquals(401, get("/app", "Bearer " + jwt).statusCode());
    }

    @Test
    void createRepository_whenGivenADirectory_commitsEveryFileOnMain(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("requests"));
        Files.writeString(dir.resolve("requests/a.yaml"), "id: a\n");
        Files.writeString(dir.resolve("policy.rego"), "package hallpass\n");
        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 0x28, 10};
        Files.write(dir.resolve("logo.bin"), binary);
        StandInRepository r = hub.createRepository(new RepoName("acme", "fromdir"), dir);
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), clock);
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                binary,
                gh.fileAt(new RepoName("acme", "fromdir"), "logo.bin", "main").orElseThrow());

        assertEquals("id: a\n", r.fileAt("main", "requests/a.yaml").orElseThrow());
        assertEquals("package hallpass\n", r.fileAt("main", "policy.rego").orElseThrow());
        JsonNode listing = new ObjectMapper()
                .readTree(get("/repos/acme/fromdir/contents/requests", "token " + token)
                        .body());
        assertEquals("a.yaml", listing.get(0).path("name").asText());
    }

    @Test
    void createPull_whenInvalid_is422() throws Exception {
        repo.pushBranch("same", "main", Map.of(), "alice", "empty");
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/repos/acme/access/pulls"))
                        .header("Authorization", "token " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"title\":\"t\",\"head\":\"nope\",\"base\":\"main\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(422, r.statusCode());
        assertEquals(
                "Validation Failed",
                new ObjectMapper().readTree(r.body()).path("message").asText());
        openPr("dup");
        assertThrows(IllegalStateException.class, () -> repo.openPullRequest("alice", "b/dup", "main", "again", ""));
    }

    private static long nextHour(Instant now) {
        long s = now.getEpochSecond();
        return s - Math.floorMod(s, 3600) + 3600;
    }

    @Test
    void conditionalGet_whenUnchanged_answers304WithoutCountingIt() throws Exception {
        int n = openPr("etag");
        HttpResponse<String> first = get("/repos/acme/access/pulls/" + n, "token " + token);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("W/\""), etag);
        String used = first.headers().firstValue("X-RateLimit-Used").orElseThrow();

        HttpResponse<String> again = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/repos/acme/access/pulls/" + n))
                        .header("Authorization", "token " + token)
                        .header("If-None-Match", etag)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(used, again.headers().firstValue("X-RateLimit-Used").orElseThrow(), "a 304 is free");
        repo.comment(n, "alice", "changes the pull request");
        assertEquals(
                200,
                http.send(
                                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/repos/acme/access/pulls/" + n))
                                        .header("Authorization", "token " + token)
                                        .header("If-None-Match", etag)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    @Test
    void adminEndpoint_whenFaultsPosted_rateLimitsLikeGitHubThenClears() throws Exception {
        HttpResponse<String> added = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/_standin/faults"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"kind\":\"SECONDARY_RATE_LIMIT\",\"path\":\"^/repos/acme/access$\",\"delay_ms\":2000}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, added.statusCode());
        HttpResponse<String> limited = get("/repos/acme/access", "token " + token);
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(limited.body().contains("secondary rate limit"));

        hub.rateLimitRequests("^/user$", GitHubStandIn.FaultKind.PRIMARY_RATE_LIMIT, Duration.ofSeconds(30), 1);
        HttpResponse<String> primary = get("/user", "token " + token);
        assertEquals(403, primary.statusCode());
        assertEquals("0", primary.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertEquals(
                String.valueOf(clock.instant().getEpochSecond() + 30),
                primary.headers().firstValue("X-RateLimit-Reset").orElseThrow());

        HttpResponse<String> cleared = http.send(
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/_standin/faults"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, cleared.statusCode());
        assertEquals(200, get("/repos/acme/access", "token " + token).statusCode());
    }
}
