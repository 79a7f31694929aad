package dev.hallpass.demo;

import dev.hallpass.audit.AuditFormats;
import dev.hallpass.audit.AuditLog;
import dev.hallpass.audit.AuditRow;
import dev.hallpass.bot.AuditedMergeMessages;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.health.Health;
import dev.hallpass.lifecycle.ServerLifecycles;
import dev.hallpass.state.PgStateBackend;
import dev.hallpass.state.StateDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code hallpass demo}: the 2 a.m. incident, end to end and offline. Starts the GitHub stand-in with an
 * access repository made from the template, a real PostgreSQL, and {@code hallpass serve} with the
 * embedded Rego engine; then plays each step and verifies it against the real systems.
 */
public final class Demo {
    public static final String REQUEST_ID = "inc-4211-orders-db";
    private static final String PASSWORD = "demo-only-password";

    private final PrintWriter out;
    private final Duration grant;
    private final Clock clock = Clock.systemUTC();
    private final List<String> failures = new ArrayList<>();
    private int step;
    private final int steps = 7;

    public Demo(PrintWriter out, Duration grant) {
        this.out = out;
        this.grant = grant;
    }

    /** Thrown by a step whose check failed; the message says what was expected. */
    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    /** Runs the demo; returns 0 when every step was verified, 1 naming the failed step otherwise. */
    public int run(boolean keepRunning) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("hallpass-demo");
        say("Starting PostgreSQL, the GitHub stand-in and hallpass serve (embedded Rego engine)...");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String jdbc = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            prepareDatabase(jdbc);
            // Hallpass's own state lives in a second database of the same server, as serve --state-db keeps it.
            String stateJdbc = "jdbc:postgresql://localhost:" + pg.getPort() + "/hallpass_state";
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE hallpass_state");
            }
            try (StateDatabase state = StateDatabase.open(stateJdbc, "postgres", "postgres")) {
                runWith(work, jdbc, stateJdbc, state, started, keepRunning);
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private void runWith(
            Path work, String jdbc, String stateJdbc, StateDatabase state, long started, boolean keepRunning)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        for (String p : List.of("STAGING", "PROD_EU", "PROD_US")) {
            env.put("HALLPASS_PG_" + p + "_USER", "postgres");
            env.put("HALLPASS_PG_" + p + "_PASSWORD", "postgres");
        }
        Instant now = clock.instant();
        LocalStack.Options options = new LocalStack.Options(
                        dev.hallpass.policy.EmbeddedPolicySource.withBundledPolicies(),
                        r -> dev.hallpass.policy.PolicyInput.State.empty(),
                        new AuditedMergeMessages(clock, id -> Optional.empty()),
                        (github, processor) -> ServerLifecycles.extensions(
                                        github,
                                        List.of(LocalStack.REPO),
                                        clock,
                                        new ServerLifecycles.Options(
                                                "main",
                                                new PgStateBackend(state, Duration.ofMillis(250)),
                                                env,
                                                work,
                                                false,
                                                Set.of(LocalStack.BOT_LOGIN),
                                                p -> p,
                                                new Health()))
                                .apply(processor),
                        Duration.ofMinutes(5),
                        files -> localise(files, jdbc, now))
                .withRetroReviews(clock);
        try (LocalStack stack = new LocalStack(clock, options)) {
            StandInRepository repo = stack.repo();
            say("  GitHub stand-in  " + stack.hub().baseUrl() + "  (repository " + LocalStack.REPO + ", app "
                    + LocalStack.BOT_LOGIN + ")");
            say("  hallpass serve   " + stack.server().webhookUrl());
            say("  PostgreSQL       " + jdbc + " (target), " + stateJdbc + " (Hallpass's state)");
            say("");
            play(stack, repo, jdbc);
            say("");
            if (failures.isEmpty()) {
                say(String.format(
                        Locale.ROOT, "All %d steps verified in %.1f s.", steps, (System.nanoTime() - started) / 1e9));
            } else {
                say("FAILED: " + String.join("; ", failures));
            }
            if (keepRunning) {
                say("Servers keep running (--keep-running); press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
        }
    }

    private void play(LocalStack stack, StandInRepository repo, String jdbc) throws Exception {
        int[] emergency = new int[1];
        Connection[] aliceSession = new Connection[1];

        step("alice is on call; she opens an emergency pull request for db-admin in prod-eu (INC-4211)", () -> {
            emergency[0] = stack.openRequest("alice", REQUEST_ID, request("alice", "db-admin", "prod-eu", grant, true));
            return "pull request #" + emergency[0] + " adds requests/" + REQUEST_ID + ".yaml";
        });

        step("Hallpass posts its decision and merges the pull request at once", () -> {
            await(
                    Duration.ofSeconds(15),
                    () -> repo.pullRequest(emergency[0]).merged()
                            && repo.pullRequest(emergency[0]).labels().contains("hallpass:retro-review-required"),
                    "the emergency to be merged and labelled");
            StandInRepository.CheckRunView check =
                    only(repo.checkRuns(repo.pullRequest(emergency[0]).headSha()));
            expect("success".equals(check.conclusion()), "check 'hallpass' is " + check.conclusion());
            expect(
                    repo.pullRequest(emergency[0]).labels().contains("hallpass:retro-review-required"),
                    "labelled for retroactive review");
            return "check: " + check.title() + "; labels "
                    + repo.pullRequest(emergency[0]).labels();
        });

        step("The grant is applied: alice's database login can now read the orders table", () -> {
            await(Duration.ofSeconds(15), () -> canRead(jdbc, "alice"), "alice to be able to read orders");
            aliceSession[0] = DriverManager.getConnection(jdbc, "alice", PASSWORD);
            int rows = count(aliceSession[0]);
            return "SELECT count(*) FROM orders as alice -> " + rows + " rows (session kept open)";
        });

        step(
                "The grant expires after " + grant.toSeconds()
                        + " s: access revoked, alice's open session ended, revert merged",
                () -> {
                    Duration wait = grant.plusSeconds(20);
                    await(wait, () -> !canRead(jdbc, "alice"), "alice to lose access");
                    boolean sessionGone;
                    try {
                        count(aliceSession[0]);
                        sessionGone = false;
                    } catch (SQLException e) {
                        sessionGone = true;
                    }
                    expect(sessionGone, "alice's session opened during the grant is terminated");
                    await(
                            Duration.ofSeconds(15),
                            () -> repo.fileAt("main", "requests/" + REQUEST_ID + ".yaml")
                                    .isEmpty(),
                            "the revert to be merged");
                    int revert = findPull(repo, "Expire access: " + REQUEST_ID);
                    expect(
                            revert > 0 && repo.pullRequest(revert).merged(),
                            "revert pull request 'Expire access: " + REQUEST_ID + "' merged");
                    return "new query: permission denied; old session: terminated; revert #" + revert + " merged";
                });

        step("erin reviews the emergency retroactively: /hallpass approve, recorded in git", () -> {
            repo.comment(
                    emergency[0],
                    "erin",
                    "/hallpass approve Checked the queries that were run: only the blocking ones were killed.");
            String review = "audit/reviews/" + REQUEST_ID + ".yaml";
            // The bot commits the review, then relabels: wait for the whole outcome, not its first part.
            await(
                    Duration.ofSeconds(15),
                    () -> repo.fileAt("main", review).isPresent()
                            && repo.pullRequest(emergency[0]).labels().contains("hallpass:reviewed")
                            && !repo.pullRequest(emergency[0]).labels().contains("hallpass:retro-review-required"),
                    review + " on main and the labels changed");
            expect(repo.fileAt("main", review).orElseThrow().contains("reviewer: erin"), "the review names erin");
            return review + " committed on main; labels "
                    + repo.pullRequest(emergency[0]).labels();
        });

        step("A normal request waits for approval; an emergency from someone not on call is refused", () -> {
            String offDuty = offDuty(repo);
            int normal = stack.openRequest(
                    "carol",
                    "carol-readonly-eu",
                    request("carol", "db-readonly", "prod-eu", Duration.ofHours(1), false));
            int offCall = stack.openRequest(
                    offDuty, "inc-4212-" + offDuty, request(offDuty, "db-admin", "prod-eu", Duration.ofHours(1), true));
            stack.awaitIdle();
            StandInRepository.CheckRunView waiting =
                    only(repo.checkRuns(repo.pullRequest(normal).headSha()));
            StandInRepository.CheckRunView refused =
                    only(repo.checkRuns(repo.pullRequest(offCall).headSha()));
            expect(
                    !repo.pullRequest(normal).merged() && "action_required".equals(waiting.conclusion()),
                    "carol's request waits: " + waiting.conclusion());
            expect(
                    !repo.pullRequest(offCall).merged() && refused.summary().contains("emergency.not_on_call"),
                    offDuty + "'s emergency is refused: " + refused.title());
            return "#" + normal + " (carol): " + waiting.title() + "; #" + offCall + " (" + offDuty + "): "
                    + refused.title();
        });

        step("The audit trail, rebuilt from git history alone", () -> {
            AuditLog log = AuditLog.read(repo.git(), "main", AuditLog.Options.of(clock, Duration.ofHours(72)));
            AuditRow row = log.rows().stream()
                    .filter(r -> r.request().value().equals(REQUEST_ID))
                    .findFirst()
                    .orElseThrow(() -> new StepFailed("no audit row for " + REQUEST_ID));
            expect(row.revokedAt().isPresent(), "the audit shows the revocation");
            java.io.StringWriter table = new java.io.StringWriter();
            AuditFormats.write(log, log.rows(), AuditFormats.Format.table, table);
            out.println(table.toString().stripTrailing().indent(6).stripTrailing());
            return log.rows().size() + " request(s); " + REQUEST_ID + " revoked ("
                    + row.revokedHow().orElse("?") + ")";
        });
    }

    private void step(String title, Body body) {
        step++;
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "[%d/%d] %s%n", step, steps, title);
        out.flush();
        try {
            String detail = body.run();
            out.printf(Locale.ROOT, "      ok (%d ms): %s%n", (System.nanoTime() - t0) / 1_000_000, detail);
        } catch (Exception | AssertionError e) {
            String why = e instanceof StepFailed ? e.getMessage() : e.toString();
            failures.add("step " + step + " (" + title + "): " + why);
            out.printf(Locale.ROOT, "      FAILED (%d ms): %s%n", (System.nanoTime() - t0) / 1_000_000, why);
        }
        out.flush();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    static String request(String requester, String role, String env, Duration d, boolean emergency) {
        String duration = d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + requester + "\nrole: " + role
                + "\nenvironment: " + env
                + "\nduration: " + duration + "\nreason: \"INC-4211: kill blocking queries on the orders database\"\n"
                + (emergency ? "emergency: true\nincident: INC-4211\n" : "");
    }

    /**
     * The template, pointed at this machine: the PostgreSQL providers use the local database, and alice is
     * put on call now with an override (as a team would for a swap), so the demo works at any hour.
     */
    static Map<String, String> localise(Map<String, String> files, String jdbc, Instant now) {
        Map<String, String> out = new LinkedHashMap<>(files);
        out.put(
                "hallpass.yaml",
                files.get("hallpass.yaml").replaceAll("jdbc_url: jdbc:postgresql://[^\\n]*", "jdbc_url: " + jdbc));
        String from =
                now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String until =
                now.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        out.put(
                "oncall.yaml",
                files.get("oncall.yaml")
                        .replaceFirst(
                                "    overrides:\n",
                                "    overrides:\n      - person: alice\n        from: " + from + "\n        until: "
                                        + until + "\n"));
        return out;
    }

    /** The target: a table only orders_admin (and orders_readonly) may read, and a login per person. */
    static void prepareDatabase(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE orders_admin NOLOGIN");
            s.execute("CREATE ROLE orders_readonly NOLOGIN");
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text, status text)");
            s.execute("INSERT INTO orders SELECT g, 'item ' || g, 'blocked' FROM generate_series(1, 42) g");
            s.execute("REVOKE ALL ON orders FROM PUBLIC");
            s.execute("GRANT SELECT, UPDATE, DELETE ON orders TO orders_admin");
            s.execute("GRANT SELECT ON orders TO orders_readonly");
            for (String login : LocalStack.PEOPLE) {
                s.execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
        }
    }

    /** Someone eligible for db-admin who is on no rotation right now, by the repository's own oncall.yaml. */
    private String offDuty(StandInRepository repo) {
        String yaml = repo.fileAt("main", "oncall.yaml").orElseThrow();
        dev.hallpass.request.Problems problems = new dev.hallpass.request.Problems();
        dev.hallpass.request.OnCall onCall = new dev.hallpass.request.ConfigParser()
                .onCall(
                        new dev.hallpass.request.SourceFile(
                                "oncall.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        problems)
                .orElseThrow(() -> new StepFailed("oncall.yaml does not parse: " + problems.sorted()));
        var onDuty = onCall.onCallAt(clock.instant()).values().stream()
                .map(l -> l.value())
                .toList();
        return List.of("bob", "dave", "carol", "erin").stream()
                .filter(l -> !onDuty.contains(l))
                .findFirst()
                .orElseThrow(() -> new StepFailed("everyone eligible is on call right now: " + onDuty));
    }

    static boolean canRead(String jdbc, String login) {
        try (Connection c = DriverManager.getConnection(jdbc, login, PASSWORD)) {
            count(c);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new StepFailed("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static void expect(boolean ok, String what) {
        if (!ok) {
            throw new StepFailed("expected: " + what);
        }
    }

    static <T> T only(List<T> items) {
        expect(items.size() == 1, "exactly one hallpass check run, got " + items.size());
        return items.get(0);
    }

    static int findPull(StandInRepository repo, String titlePrefix) {
        for (int n = 1; n < 1000; n++) {
            try {
                if (repo.pullRequest(n).title().startsWith(titlePrefix)) {
                    return n;
                }
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }
}
