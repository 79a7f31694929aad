package dev.hallpass.github;

import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.testing.MutableClock;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** A stand-in GitHub with an org, a repository, people, and the Hallpass app installed: shared test setup. */
final class StandInWorld implements AutoCloseable {
    static final RepoName REPO = new RepoName("acme", "access");
    private static KeyPair keys;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    final GitHubStandIn hub = new GitHubStandIn(clock).start();
    final StandInRepository repo;
    final long appId;
    final long installationId;

    StandInWorld() {
        hub.createUser("alice");
        hub.createUser("bob");
        hub.createUser("carol");
        repo = hub.createRepository(
                REPO, Map.of("README.md", "# access\n", "requests/README.md", "requests go here\n"));
        appId = hub.registerApp("hallpass", keyPair().getPublic(), "acme");
        installationId = hub.installApp(appId, "acme", REPO);
    }

    public static synchronized KeyPair keyPair() {
        if (keys == null) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                keys = g.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    static String pkcs8Pem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(keyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    Hub4jGitHubGateway appGateway() {
        return new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.app(String.valueOf(appId), pkcs8Pem(), REPO), clock);
    }

    Hub4jGitHubGateway tokenGateway(String login) {
        return new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(hub.issueToken(login)), clock);
    }

    /** alice pushes a request file on a branch and opens a PR; returns the PR number. */
    int requestPr(String id) {
        repo.pushBranch(
                "request/" + id,
                "main",
                Map.of("requests/" + id + ".yaml", "id: " + id + "\nrole: db-admin\n"),
                "alice",
                "Request " + id);
        return repo.openPullRequest("alice", "request/" + id, "main", "Access request " + id, "Please");
    }

    @Override
    public void close() {
        hub.close();
    }
}
