package dev.hallpass.demo;

import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code hallpass serve} as separate processes on real parts, for the high-availability tests and bench: one
 * PostgreSQL that is both the grant target (role {@code orders_admin}, a login per person) and, in a second
 * database, Hallpass's state; the GitHub stand-in with the template access repository pointed at that
 * target; and serve replicas started on demand as child JVMs.
 */
public final class ReplicaStack implements AutoCloseable {
    public static final RepoName REPO = new RepoName("acme", "access");
    public static final String BOT = "hallpass-bot";
    public static final String ROLE = "orders_admin";
    /** Eligible for db-admin in the template's catalog. */
    public static final List<String> PEOPLE = List.of("alice", "bob", "dave", "carol", "erin");

    private final EmbeddedPostgres pg;
    private final String stateUrl;
    private final GitHubStandIn hub;
    private final StandInRepository repo;
    private final Hub4jGitHubGateway gateway;
    private final Path dir;
    private final String token;
    private final List<ServeProcess> processes = new ArrayList<>();

    /** A grant merged in git: its pull request and when it expires by git's word. */
    public record Merged(String id, String person, int pullRequest, Instant expiresAt) {}

    public ReplicaStack() throws IOException, SQLException {
        pg = EmbeddedPostgres.builder().start();
        try (Connection c = targetAdmin();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " NOLOGIN");
            for (String p : PEOPLE) {
                s.execute("CREATE ROLE " + p + " LOGIN");
            }
            s.execute("CREATE DATABASE hallpass_state");
        }
        stateUrl = jdbcUrl("hallpass_state");
        hub = new GitHubStandIn(Clock.systemUTC()).start();
        for (String u : List.of("alice", "bob", "dave", "carol", "erin", "frank", "grace", "ivan", BOT)) {
            hub.createUser(u);
        }
        hub.allowChecksFromTokens(true);
        Map<String, String> files = new LinkedHashMap<>(LocalStack.template());
        files.put(
                "hallpass.yaml",
                files.get("hallpass.yaml")
                        .replaceAll("jdbc_url: jdbc:postgresql://[^\\n]*", "jdbc_url: " + jdbcUrl("postgres")));
        repo = hub.createRepository(REPO, files);
        token = hub.issueToken(BOT);
        gateway = new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), Clock.systemUTC());
        dir = Files.createTempDirectory("hallpass-replicas");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
    }

    /** A superuser connection to the target database. */
    public Connection targetAdmin() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
    }

    public StandInRepository repo() {
        return repo;
    }

    public GitHubStandIn hub() {
        return hub;
    }

    public Path dir() {
        return dir;
    }

    /** Logins that are members of {@link #ROLE} now. */
    public Set<String> members() {
        Set<String> out = new TreeSet<>();
        try (Connection c = targetAdmin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT m.rolname FROM pg_auth_members a"
                        + " JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid"
                        + " WHERE g.rolname = '" + ROLE + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the members of " + ROLE, e);
        }
        return out;
    }

    /** {@code person} asks for db-admin in staging for {@code duration}; merged at once. */
    public Merged mergeRequest(String id, String person, Duration duration) {
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
    public ServeProcess serve(String name, String githubApi, String... extra) {
        List<String> args = new ArrayList<>(List.of("--state-db", stateUrl));
        args.addAll(List.of(extra));
        return serveWith(name, githubApi, args);
    }

    public ServeProcess serve(String name) {
        return serve(name, hub.baseUrl());
    }

    /** Starts a single {@code serve} without a state database, its applied grants in {@code stateDir}. */
    public ServeProcess serveLocal(String name, Path stateDir) {
        return serveWith(name, hub.baseUrl(), List.of("--local-state", "--state-dir", stateDir.toString()));
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

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITHUB_TOKEN", token);
        env.put("HALLPASS_WEBHOOK_SECRET", "replica-stack-secret");
        env.put("HALLPASS_STATE_DB_USER", "postgres");
        env.put("HALLPASS_STATE_DB_PASSWORD", "postgres");
        for (String p : List.of("STAGING", "PROD_EU", "PROD_US")) {
            env.put("HALLPASS_PG_" + p + "_USER", "postgres");
            env.put("HALLPASS_PG_" + p + "_PASSWORD", "postgres");
        }
        return env;
    }

    /** Whether a replica's /readyz says it leads the repository's lifecycle. */
    public static boolean leads(ServeProcess p) {
        return p.isAlive() && p.get("/readyz").body().contains("\"detail\":\"leading");
    }

    /** Merged pull requests titled "Expire access: {@code id}". */
    public int mergedExpiries(String id) {
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

    /** Every replica's output, for a failure message. */
    public String outputs() {
        StringBuilder b = new StringBuilder();
        processes.forEach(p -> b.append(p.output()).append('\n'));
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        processes.forEach(ServeProcess::close);
        hub.close();
        pg.close();
    }
}
