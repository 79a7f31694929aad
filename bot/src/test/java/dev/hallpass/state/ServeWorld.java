package dev.hallpass.state;

import dev.hallpass.demo.LocalStack;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.testing.SecretsDatabase;
import dev.hallpass.testing.ServeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real parts for {@code serve} run as processes: a PostgreSQL that is both the grant target (role {@code
 * orders_admin}) and, in a second database, Hallpass's state; the GitHub stand-in with the template access
 * repository pointed at that target; and {@code hallpass serve} replicas started on demand.
 */
final class ServeWorld implements AutoCloseable {
    static final RepoName REPO = new RepoName("acme", "access");
    static final String BOT = "hallpass-bot";
    static final List<String> PEOPLE = List.of("alice", "bob", "dave", "carol", "erin");

    final SecretsDatabase target;
    final String stateUrl;
    final GitHubStandIn hub;
    final StandInRepository repo;
    final Hub4jGitHubGateway gateway;
    final Path dir;
    private final String token;
    private final List<ServeProcess> processes = new ArrayList<>();
    private final Map<String, String> extraEnv = new LinkedHashMap<>();

    /** A grant merged in git: its pull request and when it expires by git's word. */
    record Merged(String id, String person, int pullRequest, Instant expiresAt) {}

    ServeWorld() throws IOException, SQLException {
        target = new SecretsDatabase(PEOPLE.toArray(String[]::new));
        stateUrl = target.createDatabase("hallpass_state");
        hub = new GitHubStandIn(Clock.systemUTC()).start();
        for (String u : List.of("alice", "bob", "dave", "carol", "erin", "frank", "grace", "ivan", BOT)) {
            hub.createUser(u);
        }
        hub.allowChecksFromTokens(true);
        Map<String, String> files = new LinkedHashMap<>(LocalStack.template());
        files.put(
                "hallpass.yaml",
                files.get("hallpass.yaml")
                        .replaceAll("jdbc_url: jdbc:postgresql://[^\\n]*", "jdbc_url: " + target.jdbcUrl("postgres")));
        repo = hub.createRepository(REPO, files);
        token = hub.issueToken(BOT);
        gateway = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), Clock.systemUTC());
        dir = Files.createTempDirectory("hallpass-serve-world");
    }

    /** {@code person} asks for db-admin in staging for {@code duration}; merged at once. */
    Merged mergeRequest(String id, String person, Duration duration) {
        String yaml = "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + person
                + "\nrole: db-admin\nenvironment: staging\nduration: " + duration.toSeconds() + "s"
                + "\nreason: \"Fix the orders backlog\"\n";
        repo.pushBranch("request/" + id, "main", Map.of("requests/" + id + ".yaml", yaml), person, "Request " + id);
        int n = repo.openPullRequest(person, "request/" + id, "main", "Access: " + id, "Please");
        repo.mergePullRequest(n, "frank");
        Instant merged = gateway.pullRequest(REPO, n).mergedAt().orElseThrow();
        return new Merged(id, person, n, merged.plus(duration));
    }

    /** Starts a {@code serve} replica against the stand-in and the state database. */
    ServeProcess serve(String name, String githubApi, String... extra) {
        List<String> args = new ArrayList<>(List.of("--state-db", stateUrl));
        args.addAll(List.of(extra));
        return serveWith(name, githubApi, args);
    }

    /** Starts a single {@code serve} without a state database, its applied grants in {@code stateDir}. */
    ServeProcess serveLocal(String name, Path stateDir) {
        return serveWith(name, hub.baseUrl(), List.of("--local-state", "--state-dir", stateDir.toString()));
    }

    /** Starts a replica with {@code moreEnv} added to the usual environment. */
    ServeProcess serveWithEnv(String name, Map<String, String> moreEnv) {
        extraEnv.putAll(moreEnv);
        try {
            return serve(name);
        } finally {
            moreEnv.keySet().forEach(extraEnv::remove);
        }
    }

    /** The stand-in token serve acts with (a secret: it must never reach a log). */
    String token() {
        return token;
    }

    private ServeProcess serveWith(String name, String githubApi, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--repo",
                REPO.toString(),
                "--github-api",
                githubApi,
                "--bot-login",
                BOT,
                "--host",
                "127.0.0.1",
                "--port",
                "0"));
        args.addAll(extra);
        ServeProcess p = ServeProcess.start(name, dir, env(), args.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    ServeProcess serve(String name) {
        return serve(name, hub.baseUrl());
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITHUB_TOKEN", token);
        env.put("HALLPASS_WEBHOOK_SECRET", "serve-world-secret");
        env.put("HALLPASS_STATE_DB_USER", "postgres");
        env.put("HALLPASS_STATE_DB_PASSWORD", "postgres");
        for (String p : List.of("STAGING", "PROD_EU", "PROD_US")) {
            env.put("HALLPASS_PG_" + p + "_USER", "postgres");
            env.put("HALLPASS_PG_" + p + "_PASSWORD", "postgres");
        }
        env.putAll(extraEnv);
        return env;
    }

    /** Whether a replica's /readyz says it leads the repository's lifecycle. */
    static boolean leads(ServeProcess p) {
        return p.isAlive() && p.get("/readyz").body().contains("\"detail\":\"leading");
    }

    /** Merged pull requests titled "Expire access: {@code id}". */
    int mergedExpiries(String id) {
        int count = 0;
        for (int n = 1; n < 500; n++) {
            StandInRepository.PullView v;
            try {
                v = repo.pullRequest(n);
            } catch (RuntimeException e) {
                break;
            }
            if (v.merged() && v.title().startsWith("Expire access: " + id)) {
                count++;
            }
        }
        return count;
    }

    String outputs() {
        StringBuilder b = new StringBuilder();
        processes.forEach(p -> b.append(p.output()).append('\n'));
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        processes.forEach(ServeProcess::close);
        hub.close();
        target.close();
    }
}
