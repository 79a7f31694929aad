package dev.hallpass.github.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.github.AppAuthKeys;
import dev.hallpass.github.AppJwt;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.StandInRepository.ReviewEvent;
import dev.hallpass.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the stand-in's response bodies against GitHub's REST description (read at run time from ../shared): every
 * required property present, types and enums right, recursively. This keeps the fake honest without copying data.
 */
class StandInSchemaConformanceTest {
    private static final RepoName REPO = new RepoName("acme", "access");
    private static final ObjectMapper M = new ObjectMapper();

    private JsonNode spec;
    private GitHubStandIn hub;
    private StandInRepository repo;
    private String userToken;
    private String installationToken;
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private long appId;
    private long installationId;
    private final List<String> problems = new ArrayList<>();
    private int checked;

    @BeforeEach
    void setUp() throws IOException {
        String shared = System.getProperty("hallpass.shared");
        Path file = shared == null ? null : Path.of(shared, "github-reference", "openapi", "pr-bot-subset.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                file != null && Files.isRegularFile(file), "../shared/github-reference/openapi not available");
        spec = M.readTree(file.toFile());
        hub = new GitHubStandIn(clock).start();
        hub.createUser("alice");
        hub.createUser("bob");
        repo = hub.createRepository(REPO, Map.of("README.md", "hi\n", "requests/a.yaml", "id: a\n"));
        appId = hub.registerApp("hallpass", AppAuthKeys.publicKey(), "acme");
        installationId = hub.installApp(appId, "acme", REPO);
        userToken = hub.issueToken("bob");
        hub.createTeam("acme", "admins");
        hub.addOrgMember("acme", "bob");
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void responses_whenComparedWithOpenApi_haveRequiredPropertiesAndTypes() throws Exception {
        String jwt = AppJwt.create(String.valueOf(appId), privateKey(), clock);
        check("get", "/app", 200, call("GET", "/app", null, "Bearer " + jwt));
        JsonNode tokenJson =
                call("POST", "/app/installations/" + installationId + "/access_tokens", "{}", "Bearer " + jwt);
        check("post", "/app/installations/{installation_id}/access_tokens", 201, tokenJson);
        installationToken = tokenJson.path("token").asText();
        String bot = "token " + installationToken;
        String user = "token " + userToken;

        repo.pushBranch("req/b", "main", Map.of("requests/b.yaml", "id: b\n", "README.md", "hello\n"), "alice", "b");
        check("get", "/repos/{owner}/{repo}", 200, call("GET", "/repos/acme/access", null, bot));
        JsonNode pr = call(
                "POST",
                "/repos/acme/access/pulls",
                "{\"title\":\"Request b\",\"head\":\"req/b\",\"base\":\"main\",\"body\":\"x\"}",
                user);
        check("post", "/repos/{owner}/{repo}/pulls", 201, pr);
        int n = pr.path("number").asInt();
        repo.submitReview(n, "alice", ReviewEvent.COMMENT, "note");
        check("get", "/repos/{owner}/{repo}/pulls", 200, call("GET", "/repos/acme/access/pulls", null, bot));
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                200,
                call("GET", "/repos/acme/access/pulls/" + n, null, bot));
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}/files",
                200,
                call("GET", "/repos/acme/access/pulls/" + n + "/files", null, bot));
        check(
                "get",
                "/repos/{owner}/{repo}/compare/{basehead}",
                200,
                call(
                        "GET",
                        "/repos/acme/access/compare/"
                                + pr.path("base").path("sha").asText() + "..."
                                + pr.path("head").path("sha").asText() + "?per_page=1",
                        null,
                        bot));
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
                200,
                call("GET", "/repos/acme/access/pulls/" + n + "/reviews", null, bot));
        JsonNode comment = call("POST", "/repos/acme/access/issues/" + n + "/comments", "{\"body\":\"hi\"}", bot);
        check("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201, comment);
        check(
                "patch",
                "/repos/{owner}/{repo}/issues/comments/{comment_id}",
                200,
                call(
                        "PATCH",
                        "/repos/acme/access/issues/comments/"
                                + comment.path("id").asLong(),
                        "{\"body\":\"ho\"}",
                        bot));
        check(
                "get",
                "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                200,
                call("GET", "/repos/acme/access/issues/" + n + "/comments", null, bot));
        check(
                "post",
                "/repos/{owner}/{repo}/issues/{issue_number}/labels",
                200,
                call("POST", "/repos/acme/access/issues/" + n + "/labels", "{\"labels\":[\"a\",\"b\"]}", bot));
        check(
                "get",
                "/repos/{owner}/{repo}/issues/{issue_number}/labels",
                200,
                call("GET", "/repos/acme/access/issues/" + n + "/labels", null, bot));
        check(
                "delete",
                "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
                200,
                call("DELETE", "/repos/acme/access/issues/" + n + "/labels/a", null, bot));
        String head = pr.path("head").path("sha").asText();
        JsonNode run = call(
                "POST",
                "/repos/acme/access/check-runs",
                "{\"name\":\"hallpass\",\"head_sha\":\"" + head + "\",\"status\":\"in_progress\"}",
                bot);
        check("post", "/repos/{owner}/{repo}/check-runs", 201, run);
        check(
                "patch",
                "/repos/{owner}/{repo}/check-runs/{check_run_id}",
                200,
                call(
                        "PATCH",
                        "/repos/acme/access/check-runs/" + run.path("id").asLong(),
                        "{\"conclusion\":\"success\",\"output\":{\"title\":\"t\",\"summary\":\"s\",\"text\":\"x\"}}",
                        bot));
        check(
                "get",
                "/repos/{owner}/{repo}/git/ref/{ref}",
                200,
                call("GET", "/repos/acme/access/git/ref/heads/main", null, bot));
        String main = repo.branchSha("main").orElseThrow();
        check(
                "post",
                "/repos/{owner}/{repo}/git/refs",
                201,
                call(
                        "POST",
                        "/repos/acme/access/git/refs",
                        "{\"ref\":\"refs/heads/rev\",\"sha\":\"" + main + "\"}",
                        bot));
        JsonNode history = call("GET", "/repos/acme/access/commits?path=requests/a.yaml&sha=main", null, bot);
        assertTrue(history.size() > 0, "the file's history is listed");
        check("get", "/repos/{owner}/{repo}/commits", 200, history);
        JsonNode content = call("GET", "/repos/acme/access/contents/requests/a.yaml?ref=rev", null, bot);
        check("get", "/repos/{owner}/{repo}/contents/{path}", 200, content);
        check(
                "get",
                "/repos/{owner}/{repo}/contents/{path}",
                200,
                call("GET", "/repos/acme/access/contents/requests", null, bot));
        check(
                "put",
                "/repos/{owner}/{repo}/contents/{path}",
                201,
                call(
                        "PUT",
                        "/repos/acme/access/contents/requests/c.yaml",
                        "{\"message\":\"add c\",\"content\":\""
                                + Base64.getEncoder().encodeToString("id: c\n".getBytes()) + "\",\"branch\":\"rev\"}",
                        bot));
        check(
                "delete",
                "/repos/{owner}/{repo}/contents/{path}",
                200,
                call(
                        "DELETE",
                        "/repos/acme/access/contents/requests/a.yaml",
                        "{\"message\":\"revoke a\",\"sha\":\""
                                + content.path("sha").asText() + "\",\"branch\":\"rev\"}",
                        bot));
        check(
                "put",
                "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
                409,
                call("PUT", "/repos/acme/access/pulls/" + n + "/merge", "{\"sha\":\"" + main + "\"}", bot));
        check(
                "put",
                "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
                200,
                call("PUT", "/repos/acme/access/pulls/" + n + "/merge", "{\"sha\":\"" + head + "\"}", bot));
        check(
                "put",
                "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
                405,
                call("PUT", "/repos/acme/access/pulls/" + n + "/merge", "{}", bot));
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                200,
                call("GET", "/repos/acme/access/pulls/" + n, null, bot));
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                404,
                call("GET", "/repos/acme/access/pulls/999", null, bot));
        check(
                "post",
                "/repos/{owner}/{repo}/pulls",
                422,
                call(
                        "POST",
                        "/repos/acme/access/pulls",
                        "{\"title\":\"x\",\"head\":\"nope\",\"base\":\"main\"}",
                        user));
        check(
                "put",
                "/orgs/{org}/teams/{team_slug}/memberships/{username}",
                200,
                call("PUT", "/orgs/acme/teams/admins/memberships/bob", "{\"role\":\"member\"}", bot));
        check(
                "get",
                "/orgs/{org}/teams/{team_slug}/memberships/{username}",
                200,
                call("GET", "/orgs/acme/teams/admins/memberships/bob", null, bot));
        check("get", "/user", 200, call("GET", "/user", null, user));
        check("get", "/users/{username}", 200, call("GET", "/users/alice", null, user));
        check("get", "/rate_limit", 200, call("GET", "/rate_limit", null, user));

        assertEquals(List.of(), problems);
        assertTrue(checked >= 30, "checked " + checked);
    }

    private static java.security.PrivateKey privateKey() {
        return AppAuthKeys.privateKey();
    }

    @Test
    void checker_whenBodyLacksRequiredFields_reportsThem() {
        // Guards against a vacuous checker: a pull request without most fields must fail.
        lastStatus = 200;
        check(
                "get",
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                200,
                M.createObjectNode().put("number", "1"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("missing required 'head'")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("$.number: expected integer")), problems.toString());
    }

    private JsonNode call(String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Authorization", auth);
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = r.body().length == 0 ? M.nullNode() : M.readTree(r.body());
        lastStatus = r.statusCode();
        return json;
    }

    private int lastStatus;

    private void check(String method, String template, int status, JsonNode body) {
        checked++;
        String where = method.toUpperCase() + " " + template + " " + status;
        if (lastStatus != status) {
            problems.add(where + ": got status " + lastStatus + " " + body);
            return;
        }
        JsonNode op = spec.path("paths").path(template).path(method);
        JsonNode response =
                new OpenApiChecker(spec).resolve(op.path("responses").path(String.valueOf(status)));
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            problems.add(where + ": no schema in the description");
            return;
        }
        problems.addAll(new OpenApiChecker(spec).check(schema, body, where + " $"));
    }
}
