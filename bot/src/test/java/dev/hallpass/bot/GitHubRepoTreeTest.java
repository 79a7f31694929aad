package dev.hallpass.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.request.RepoTree;
import dev.hallpass.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configuration at a commit costs one tree call; unchanged files are never read again, whatever the commit. */
class GitHubRepoTreeTest {
    private static final RepoName REPO = new RepoName("acme", "access");

    private GitHubStandIn hub;
    private StandInRepository repo;
    private Hub4jGitHubGateway gh;
    private final GitHubRepoTree.Cache cache = new GitHubRepoTree.Cache(1000);

    @BeforeEach
    void setUp() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        hub = new GitHubStandIn(clock).start();
        hub.createUser("alice");
        repo = hub.createRepository(
                REPO,
                Map.of(
                        "hallpass.yaml", "organization: acme\n",
                        "catalog/roles.yaml", "roles: {}\n",
                        "catalog/groups.yaml", "groups: {}\n",
                        "policies/extra/rule.rego", "package x\n",
                        "requests/a.yaml", "id: a\n"));
        gh = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(hub.issueToken("alice")), clock);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private GitHubRepoTree at(String sha) {
        return new GitHubRepoTree(gh, REPO, sha, cache);
    }

    private String read(RepoTree t, String path) throws Exception {
        return new String(t.read(path, 65536).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void read_whenConfigurationAtBase_costsOneTreeCallPlusEachFileOnce() throws Exception {
        String base = repo.branchSha("main").orElseThrow();
        hub.clearRequestLog();
        GitHubRepoTree t = at(base);

        assertEquals("organization: acme\n", read(t, "hallpass.yaml"));
        assertEquals("roles: {}\n", read(t, "catalog/roles.yaml"));
        assertEquals(
                List.of("catalog/groups.yaml", "catalog/roles.yaml"),
                t.list("catalog").stream().map(RepoTree.Entry::path).toList());
        assertEquals(
                List.of("policies/extra/rule.rego"),
                t.list("policies/").stream().map(RepoTree.Entry::path).toList());
        assertTrue(t.read("catalog", 100).isEmpty(), "a directory is not a file");
        assertTrue(t.read("nope.yaml", 100).isEmpty());

        assertEquals(
                List.of(
                        "/repos/acme/access/git/trees/" + base,
                        "/repos/acme/access/git/blobs/",
                        "/repos/acme/access/git/blobs/"),
                hub.requestLog().stream()
                        .map(r -> r.path().contains("/blobs/")
                                ? r.path().substring(0, r.path().lastIndexOf('/') + 1)
                                : r.path())
                        .toList());

        repo.pushBranch("main", null, Map.of("requests/b.yaml", "id: b\n"), "alice", "a request merged");
        String moved = repo.branchSha("main").orElseThrow();
        hub.clearRequestLog();
        GitHubRepoTree next = at(moved);
        assertEquals("organization: acme\n", read(next, "hallpass.yaml"));
        assertEquals("roles: {}\n", read(next, "catalog/roles.yaml"));
        assertEquals(1, hub.requestCount(), "main moved: the new tree only; unchanged files are known by blob sha");
    }

    @Test
    void read_whenOnlyTheRequestAtHead_costsOneContentsCall() throws Exception {
        String head = repo.pushBranch("request/c", "main", Map.of("requests/c.yaml", "id: c\n"), "alice", "c");
        gh.fileAt(REPO, "hallpass.yaml", "main"); // hub4j's one repository fetch, outside the count
        hub.clearRequestLog();

        assertEquals("id: c\n", read(at(head), "requests/c.yaml"));

        assertEquals(1, hub.requestCount());
        assertTrue(hub.requestLog().get(0).path().contains("/contents/requests/c.yaml"));
    }
}
