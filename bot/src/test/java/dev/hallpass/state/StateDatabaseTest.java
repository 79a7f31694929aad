package dev.hallpass.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.demo.ServeProcess;
import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AppliedGrant;
import dev.hallpass.grant.Grant;
import dev.hallpass.lifecycle.StateBackend;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The state database on a real PostgreSQL: schema, records, deliveries, locks and leadership. */
class StateDatabaseTest {
    private static EmbeddedPostgres pg;
    private static StateDatabase db;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        db = StateDatabase.open(url(pg), "postgres", null);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        pg.close();
    }

    private static String url(EmbeddedPostgres p) {
        return "jdbc:postgresql://localhost:" + p.getPort() + "/postgres";
    }

    private static Grant grant(String id, String person, Instant start, Duration d) {
        return new Grant(
                new RequestId(id),
                new Login(person),
                new RoleName("db-admin"),
                new EnvironmentName("staging"),
                new ProviderName("orders-db"),
                "orders_admin",
                start,
                start.plus(d),
                3,
                "0123456789abcdef0123456789abcdef01234567",
                "merged in #3");
    }

    @Test
    void open_whenOpenedAgain_migratesOnceAndKeepsTheRows() {
        PgAppliedGrants a = new PgAppliedGrants(db, "acme/reopen");
        Grant g = grant("reopen-1", "alice", Instant.parse("2026-03-02T09:00:00Z"), Duration.ofHours(1));
        a.put(new AppliedGrant(g, true, false));
        try (StateDatabase again = StateDatabase.open(url(pg), "postgres", null)) {
            assertEquals(
                    Map.of(g.key(), new AppliedGrant(g, true, false)),
                    new PgAppliedGrants(again, "acme/reopen").snapshot());
        }
    }

    @Test
    void open_whenTheUrlCarriesAPassword_refuses() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> StateDatabase.open(url(pg) + "?user=postgres&password=secret", null, null));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void appliedGrants_whenPutConfirmedAndRemoved_roundTripPerRepository() {
        PgAppliedGrants mine = new PgAppliedGrants(db, "acme/access");
        PgAppliedGrants other = new PgAppliedGrants(db, "acme/other");
        Grant g = grant("req-1", "alice", Instant.parse("2026-03-02T09:00:00.123Z"), Duration.ofMinutes(90));
        mine.put(new AppliedGrant(g, false, false));
        assertEquals(new AppliedGrant(g, false, false), mine.get(g.key()).orElseThrow());
        mine.put(new AppliedGrant(g.withExpiresAt(g.expiresAt().plusSeconds(60)), true, false));
        assertTrue(mine.get(g.key()).orElseThrow().confirmed());
        assertEquals(
                g.expiresAt().plusSeconds(60),
                mine.snapshot().get(g.key()).grant().expiresAt());
        assertTrue(other.snapshot().isEmpty(), "another repository's rows are its own");
        mine.remove(g.key());
        assertTrue(mine.snapshot().isEmpty());
    }

    @Test
    void schedule_whenNeverSaved_isEmptyRatherThanNoGrants() {
        PgRepoState s = new PgRepoState(db, "acme/schedule");
        assertTrue(s.schedule().isEmpty());
        s.saveSettings("abc", "kind: Settings\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(), s.schedule().orElseThrow());
        Grant g = grant("sched-1", "bob", Instant.parse("2026-03-02T09:00:00Z"), Duration.ofHours(2));
        s.saveSchedule(List.of(g));
        assertEquals(List.of(g), new PgRepoState(db, "acme/schedule").schedule().orElseThrow());
        assertEquals(
                "kind: Settings\n", new String(s.settings().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void deliveryLog_whenTwoReplicasSeeTheSameDelivery_onlyTheFirstTakesIt() {
        PgDeliveryLog one = new PgDeliveryLog(db, Clock.systemUTC(), Duration.ofDays(7));
        PgDeliveryLog two = new PgDeliveryLog(db, Clock.systemUTC(), Duration.ofDays(7));
        assertTrue(one.firstSeen("d-1"));
        assertFalse(two.firstSeen("d-1"));
        assertFalse(one.firstSeen("d-1"));
        two.forget("d-1");
        assertTrue(two.firstSeen("d-1"), "forgotten after a 503: the redelivery is taken");
    }

    @Test
    void withLock_whenHeldByAnotherReplica_waitsThenTimesOut() throws Exception {
        ClusterLocks locks = new ClusterLocks(db);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> holder = pool.submit(() -> locks.withLock("acme/access", Duration.ofSeconds(5), () -> {
                holding.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "first";
            }));
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            assertTrue(locks.isHeld("acme/access"));
            assertThrows(
                    ClusterLocks.LockTimeout.class,
                    () -> locks.withLock("acme/access", Duration.ofMillis(200), () -> "second"));
            assertEquals("other key", locks.withLock("acme/other", Duration.ofMillis(200), () -> "other key"));
            Future<String> waiter =
                    pool.submit(() -> locks.withLock("acme/access", Duration.ofSeconds(10), () -> "second"));
            release.countDown();
            assertEquals("first", holder.get(10, TimeUnit.SECONDS));
            assertEquals("second", waiter.get(10, TimeUnit.SECONDS));
            assertFalse(locks.isHeld("acme/access"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withLock_whenRunConcurrently_neverOverlaps() throws Exception {
        ClusterLocks locks = new ClusterLocks(db);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                runs.add(pool.submit(() -> locks.withLock("acme/count", Duration.ofSeconds(20), () -> {
                    if (inside.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    return inside.decrementAndGet();
                })));
            }
            for (Future<Integer> f : runs) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, overlaps.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leadership_whenTheLeaderGoes_anotherReplicaLeadsWithinAPoll() {
        RepoName repo = new RepoName("acme", "lead");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        StateBackend backend = new PgStateBackend(db, Duration.ofMillis(100));
        StateBackend.Election ea = backend.elect(Map.of(repo, a));
        ServeProcess.await(Duration.ofSeconds(10), () -> a.leading, "for the first replica to lead");
        try (StateBackend.Election eb = new PgStateBackend(db, Duration.ofMillis(100)).elect(Map.of(repo, b))) {
            sleepPolls();
            assertFalse(b.leading, "one leader at a time");
            eb.wake(repo);
            ServeProcess.await(Duration.ofSeconds(10), () -> a.wakes.get() > 0, "for the leader to be woken");
            ea.close();
            assertFalse(a.leading);
            ServeProcess.await(Duration.ofSeconds(5), () -> b.leading, "for the second replica to take over");
        }
        assertFalse(b.leading, "closing steps down");
    }

    @Test
    void ping_whenTheDatabaseIsGone_answersFalseAndReadsFailFast() throws Exception {
        EmbeddedPostgres lost = EmbeddedPostgres.builder().start();
        StateDatabase gone = StateDatabase.open(url(lost), "postgres", null);
        try {
            assertTrue(gone.ping(Duration.ofSeconds(1)));
            lost.close();
            long t0 = System.nanoTime();
            assertFalse(gone.ping(Duration.ofSeconds(1)));
            PgAppliedGrants applied = new PgAppliedGrants(gone, "acme/access");
            assertThrows(StateUnavailableException.class, applied::snapshot);
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(15)) < 0,
                    "a lost database must not hang a worker");
        } finally {
            gone.close();
        }
    }

    private static void sleepPolls() {
        long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
        ServeProcess.await(Duration.ofSeconds(2), () -> System.nanoTime() > until, "for a few polls");
    }

    private static final class Recorder implements StateBackend.Role {
        volatile boolean leading;
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void lead() {
            leading = true;
        }

        @Override
        public void follow() {
            leading = false;
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }
    }
}
