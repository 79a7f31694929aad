package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static dev.hallpass.grant.TestGrants.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.testing.MutableClock;
import dev.hallpass.testing.SecretsDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real PostgreSQL: one embedded server for the class, since it takes seconds to start. */
class PostgresProviderTest {
    private static final ProviderName NAME = new ProviderName("orders-db");
    private static SecretsDatabase db;

    private final PostgresProvider provider =
            new PostgresProvider(NAME, PostgresProviderTest::admin, PostgresProvider.Options.defaults());

    @BeforeAll
    static void start() throws Exception {
        db = new SecretsDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private static Connection admin() throws SQLException {
        return db.admin();
    }

    private static void createLogin(String name) throws SQLException {
        db.createLogin(name);
    }

    private static Connection connectAs(String login) throws SQLException {
        return db.connectAs(login);
    }

    private static int readSecret(Connection c) throws SQLException {
        return SecretsDatabase.readSecret(c);
    }

    /** A query that needs no privilege: it fails only when the session itself is gone. */
    private static void ping(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    private static boolean canReadSecret(String login) throws SQLException {
        return db.canRead(login);
    }

    private static Optional<Instant> validUntil(String login) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolvaliduntil FROM pg_roles WHERE rolname = '" + login + "'")) {
            rs.next();
            return Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant);
        }
    }

    @Test
    void applyThenRevoke_whenSessionOpenedDuringGrant_endsAccessAndTheSession() throws Exception {
        createLogin("alice_smith");
        Grant g = grant("req-alice", "alice-smith", 0, 60);
        assertFalse(canReadSecret("alice_smith"));

        Outcome applied = provider.apply(g, false);
        assertTrue(applied.ok(), applied.summary());
        assertFalse(applied.noOp());
        assertTrue(applied.output().contains("GRANT \"orders_admin\" TO \"alice_smith\""), applied.output());
        assertEquals(Presence.PRESENT, provider.verify(g.person(), "orders_admin"));
        assertTrue(canReadSecret("alice_smith"));

        try (Connection held = connectAs("alice_smith")) {
            assertEquals(42, readSecret(held));

            Outcome revoked = provider.revoke(g, false);
            assertTrue(revoked.ok(), revoked.summary());
            assertTrue(revoked.summary().contains("terminated 1 session"), revoked.summary());
            assertEquals(Presence.ABSENT, provider.verify(g.person(), "orders_admin"));
            assertThrows(SQLException.class, () -> ping(held));
        }
        assertFalse(canReadSecret("alice_smith"));
    }

    @Test
    void revoke_whenSessionSwitchedToTheRole_terminatesIt() throws Exception {
        createLogin("mallory");
        Grant g = grant("req-mallory", "mallory", 0, 60);
        provider.apply(g, false);
        try (Connection held = connectAs("mallory");
                Statement s = held.createStatement()) {
            s.execute("SET ROLE orders_admin");
            assertTrue(provider.revoke(g, false).ok());
            assertThrows(SQLException.class, () -> readSecret(held));
            assertThrows(SQLException.class, () -> ping(held));
        }
    }

    @Test
    void revoke_whenTerminationDisabled_leavesSessionsOpen() throws Exception {
        createLogin("nina");
        PostgresProvider keepSessions = new PostgresProvider(
                NAME,
                PostgresProviderTest::admin,
                new PostgresProvider.Options("{login}", false, PostgresProvider.NativeExpiry.NONE));
        Grant g = grant("req-nina", "nina", 0, 60);
        keepSessions.apply(g, false);
        try (Connection held = connectAs("nina")) {
            assertTrue(keepSessions.revoke(g, false).ok());
            ping(held);
            assertThrows(SQLException.class, () -> readSecret(held));
        }
    }

    @Test
    void apply_whenAppliedTwice_secondIsNoOp() throws Exception {
        createLogin("bob");
        Grant g = grant("req-bob", "bob", 0, 60);
        assertFalse(provider.apply(g, false).noOp());
        Outcome again = provider.apply(g, false);
        assertTrue(again.ok());
        assertTrue(again.noOp(), again.summary());
        assertTrue(canReadSecret("bob"));
    }

    @Test
    void revoke_whenNotMember_isNoOpSuccess() throws Exception {
        createLogin("carol");
        Outcome o = provider.revoke(grant("req-carol", "carol", 0, 60), false);
        assertTrue(o.ok());
        assertTrue(o.noOp(), o.summary());
    }

    @Test
    void revoke_whenLoginDoesNotExist_isNoOpSuccess() {
        Outcome o = provider.revoke(grant("req-ghost", "ghost", 0, 60), false);
        assertTrue(o.ok());
        assertTrue(o.noOp());
    }

    @Test
    void apply_whenLoginDoesNotExist_failsClearly() {
        Outcome o = provider.apply(grant("req-nobody", "nobody-here", 0, 60), false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("nobody_here does not exist"), o.summary());
    }

    @Test
    void apply_whenDryRun_changesNothing() throws Exception {
        createLogin("dave");
        Grant g = grant("req-dave", "dave", 0, 60);
        Outcome o = provider.apply(g, true);
        assertTrue(o.ok());
        assertTrue(o.dryRun());
        assertTrue(o.output().contains("GRANT"), o.output());
        assertEquals(Presence.ABSENT, provider.verify(g.person(), "orders_admin"));
        assertFalse(canReadSecret("dave"));
    }

    @Test
    void revoke_whenDryRun_keepsMembershipAndSessions() throws Exception {
        createLogin("erin");
        Grant g = grant("req-erin", "erin", 0, 60);
        provider.apply(g, false);
        try (Connection held = connectAs("erin")) {
            Outcome o = provider.revoke(g, true);
            assertTrue(o.dryRun());
            assertTrue(o.summary().contains("would revoke"), o.summary());
            assertEquals(Presence.PRESENT, provider.verify(g.person(), "orders_admin"));
            assertEquals(42, readSecret(held));
            ping(held);
        }
    }

    @Test
    void dryRunProvider_whenAskedForRealChanges_stillChangesNothing() throws Exception {
        createLogin("frank");
        Grant g = grant("req-frank", "frank", 0, 60);
        Provider dry = Providers.of(List.of(provider)).dryRun().get(NAME);
        Outcome o = dry.apply(g, false);
        assertTrue(o.dryRun());
        assertEquals(Presence.ABSENT, provider.verify(g.person(), "orders_admin"));
    }

    @Test
    void apply_whenNativeExpiryValidUntil_setsItAndOnlyMovesItLater() throws Exception {
        createLogin("grace");
        PostgresProvider withExpiry = new PostgresProvider(
                NAME,
                PostgresProviderTest::admin,
                new PostgresProvider.Options("{login}", true, PostgresProvider.NativeExpiry.VALID_UNTIL));
        Grant g = grant("req-grace", "grace", 0, 60);
        assertTrue(withExpiry.apply(g, false).ok());
        assertEquals(Optional.of(minutes(60)), validUntil("grace"));

        Grant extended = g.withExpiresAt(minutes(180));
        Outcome o = withExpiry.apply(extended, false);
        assertTrue(o.ok());
        assertTrue(o.output().contains("VALID UNTIL '2026-03-01T12:00:00Z'"), o.output());
        assertEquals(Optional.of(minutes(180)), validUntil("grace"));

        // An overlapping shorter lease must not cut the login's validity short.
        Outcome shorter = withExpiry.apply(grant("req-grace-2", "grace", 0, 30), false);
        assertTrue(shorter.noOp(), shorter.summary());
        assertEquals(Optional.of(minutes(180)), validUntil("grace"));
    }

    @Test
    void apply_whenNativeExpiryOff_leavesValidUntilAlone() throws Exception {
        createLogin("heidi");
        assertTrue(provider.apply(grant("req-heidi", "heidi", 0, 60), false).ok());
        assertEquals(Optional.empty(), validUntil("heidi"));
    }

    @Test
    void apply_whenTargetIsAnInjectionAttempt_refusesAndRunsNothing() throws Exception {
        createLogin("ivan");
        Outcome o = provider.apply(
                grant("req-ivan", "ivan", "orders-db", "orders_admin\" TO ivan; DROP TABLE secrets; --", 0, 60), false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("not an acceptable PostgreSQL role name"), o.summary());
        try (Connection c = admin()) {
            assertEquals(42, readSecret(c));
        }
    }

    @Test
    void quote_whenNameOutsideAllowList_throws() {
        assertEquals("\"orders_admin\"", PostgresProvider.quote("orders_admin"));
        for (String bad : List.of("", "Orders", "a\"b", "a b", "a;b", "x".repeat(64), "é")) {
            assertThrows(IllegalArgumentException.class, () -> PostgresProvider.quote(bad), bad);
        }
    }

    @Test
    void databaseLogin_whenTemplateConfigured_mapsHyphensToUnderscores() {
        assertEquals("alice_smith", provider.databaseLogin(new Login("Alice-Smith")));
        PostgresProvider prefixed = new PostgresProvider(
                NAME,
                PostgresProviderTest::admin,
                new PostgresProvider.Options("hp_{login}", true, PostgresProvider.NativeExpiry.NONE));
        assertEquals("hp_alice_smith", prefixed.databaseLogin(new Login("alice-smith")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PostgresProvider.Options("{login}\"", true, PostgresProvider.NativeExpiry.NONE));
    }

    @Test
    void reconcile_whenLeasesOverlap_keepsAccessUntilTheLastLeaseEnds() throws Exception {
        createLogin("judy");
        MutableClock clock = new MutableClock(minutes(10));
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)),
                new InMemoryAppliedGrants(),
                RetryPolicy.once(),
                d -> {},
                clock,
                AttemptListener.NONE);
        Grant first = grant("req-judy-1", "judy", 0, 60);
        Grant second = grant("req-judy-2", "judy", 30, 120);
        GrantLedger ledger = GrantLedger.of(List.of(first, second), clock);

        assertTrue(executor.reconcile(ledger, false).ok());
        assertTrue(canReadSecret("judy"));

        try (Connection held = connectAs("judy")) {
            clock.set(minutes(70));
            ReconcileReport afterFirst = executor.reconcile(ledger, false);
            assertTrue(afterFirst.ok());
            assertTrue(afterFirst.results().stream().noneMatch(r -> r.action() == Action.REVOKE));
            assertEquals(42, readSecret(held));
            assertEquals(Optional.of(minutes(120)), afterFirst.nextCheck());

            clock.set(minutes(120));
            ReconcileReport afterSecond = executor.reconcile(ledger, false);
            assertTrue(afterSecond.ok());
            assertEquals(List.of(Action.REVOKE), actions(afterSecond));
            assertThrows(SQLException.class, () -> ping(held));
        }
        assertFalse(canReadSecret("judy"));
    }

    @Test
    void reconcile_whenRequestWithdrawnEarly_revokesAtOnce() throws Exception {
        createLogin("kim");
        MutableClock clock = new MutableClock(minutes(5));
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)),
                new InMemoryAppliedGrants(),
                RetryPolicy.once(),
                d -> {},
                clock,
                AttemptListener.NONE);
        Grant g = grant("req-kim", "kim", 0, 240);
        GrantLedger ledger = GrantLedger.of(List.of(g), clock);
        executor.reconcile(ledger, false);
        assertTrue(canReadSecret("kim"));

        clock.advance(Duration.ofMinutes(1));
        ReconcileReport r = executor.reconcile(ledger.without(g.requestId()), false);
        assertEquals(List.of(Action.REVOKE), actions(r));
        assertFalse(canReadSecret("kim"));
    }

    @Test
    void reconcile_whenDryRun_changesNothingInTheDatabase() throws Exception {
        createLogin("olga");
        MutableClock clock = new MutableClock(minutes(5));
        InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);
        Grant g = grant("req-olga", "olga", 0, 60);

        ReconcileReport r = executor.reconcile(GrantLedger.of(List.of(g), clock), true);
        assertTrue(r.ok());
        assertTrue(r.results().get(0).outcome().dryRun());
        assertEquals(Presence.ABSENT, provider.verify(g.person(), "orders_admin"));
        assertFalse(canReadSecret("olga"));
        assertTrue(applied.snapshot().isEmpty());
    }

    private static List<Action> actions(ReconcileReport r) {
        List<Action> out = new ArrayList<>();
        r.results().forEach(x -> out.add(x.action()));
        return out;
    }
}
