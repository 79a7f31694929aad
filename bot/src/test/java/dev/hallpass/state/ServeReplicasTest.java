package dev.hallpass.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.demo.ReplicaStack;
import dev.hallpass.demo.ServeProcess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three {@code hallpass serve} processes on one GitHub stand-in and one state database; the leader is
 * killed with SIGKILL while its revoke is blocked inside the target database. Every grant must still end
 * within a second of its expiry (or of the moment the target could take a revoke again), and each expiry is
 * merged exactly once.
 */
class ServeReplicasTest {
    private static final Duration SLACK = Duration.ofSeconds(1);

    @Test
    @Timeout(180)
    void serve_whenLeaderKilledMidRevoke_anotherReplicaRevokesEveryGrantOnTimeAndMergesEachExpiryOnce()
            throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            List<ReplicaStack.Merged> grants = new ArrayList<>();
            for (int i = 0; i < ReplicaStack.PEOPLE.size(); i++) {
                String person = ReplicaStack.PEOPLE.get(i);
                grants.add(w.mergeRequest("ha-" + person, person, Duration.ofSeconds(30 + 2L * i)));
            }
            List<ServeProcess> replicas = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                replicas.add(w.serve("replica-" + i));
            }
            try {
                for (ServeProcess p : replicas) {
                    p.awaitListening(Duration.ofSeconds(60));
                }
                ServeProcess.await(
                        Duration.ofSeconds(30),
                        () -> replicas.stream().filter(ReplicaStack::leads).count() == 1,
                        "for exactly one leader");
                ServeProcess.await(
                        Duration.ofSeconds(30),
                        () -> w.members().containsAll(ReplicaStack.PEOPLE),
                        "for every grant to be applied");
                ServeProcess leader = replicas.stream()
                        .filter(ReplicaStack::leads)
                        .findFirst()
                        .orElseThrow();

                Map<String, Instant> revokedAt = new ConcurrentHashMap<>();
                AtomicBoolean watching = new AtomicBoolean(true);
                // Held by the watcher's query, and by the test while it holds the catalog, so that the only
                // session waiting on the catalog is Hallpass's.
                ReentrantLock gate = new ReentrantLock();
                Thread watcher = new Thread(() -> {
                    while (watching.get()) {
                        Set<String> now;
                        gate.lock();
                        try {
                            now = w.members();
                        } finally {
                            gate.unlock();
                        }
                        Instant t = Instant.now();
                        for (String p : ReplicaStack.PEOPLE) {
                            if (!now.contains(p)) {
                                revokedAt.putIfAbsent(p, t);
                            }
                        }
                        sleep(20);
                    }
                });
                watcher.setDaemon(true);
                watcher.start();

                // Hold the role catalog so the leader's first revoke blocks inside the target, then kill it there.
                ReplicaStack.Merged first = grants.get(0);
                ServeProcess.await(
                        Duration.ofSeconds(60),
                        () -> Instant.now().isAfter(first.expiresAt().minusMillis(1500)),
                        "until just before the first expiry");
                Instant releasedAt;
                gate.lock();
                try (Connection lock = w.targetAdmin()) {
                    lock.setAutoCommit(false);
                    try (Statement s = lock.createStatement()) {
                        s.execute("LOCK TABLE pg_catalog.pg_auth_members IN ACCESS EXCLUSIVE MODE");
                    }
                    ServeProcess.await(
                            Duration.ofSeconds(10), () -> someoneWaitsOnALock(w), "for the leader's revoke to block");
                    leader.kill9();
                    lock.rollback();
                    releasedAt = Instant.now();
                } finally {
                    gate.unlock();
                }

                ServeProcess.await(
                        Duration.ofSeconds(60),
                        () -> revokedAt.keySet().containsAll(ReplicaStack.PEOPLE),
                        "for every grant to be revoked");
                watching.set(false);
                List<String> late = new ArrayList<>();
                StringBuilder lags = new StringBuilder();
                for (ReplicaStack.Merged g : grants) {
                    Instant due = g.expiresAt().isAfter(releasedAt) ? g.expiresAt() : releasedAt;
                    Duration lag = Duration.between(due, revokedAt.get(g.person()));
                    lags.append(g.id()).append(": ").append(lag.toMillis()).append(" ms; ");
                    if (lag.compareTo(SLACK) > 0) {
                        late.add(g.id());
                    }
                    assertTrue(
                            !revokedAt.get(g.person()).isBefore(g.expiresAt()),
                            g.id() + " was revoked before it expired");
                }
                System.out.println("revoke lag after failover (from expiry, or from the catalog's release): " + lags);
                assertTrue(late.isEmpty(), "revoked more than 1 s late: " + late + " (" + lags + ")\n" + w.outputs());
                assertTrue(
                        replicas.stream().filter(p -> p != leader).anyMatch(ReplicaStack::leads),
                        "a surviving replica leads");

                ServeProcess.await(
                        Duration.ofSeconds(60),
                        () -> grants.stream().allMatch(g -> w.repo()
                                .fileAt("main", "requests/" + g.id() + ".yaml")
                                .isEmpty()),
                        "for every expired request file to be removed");
                for (ReplicaStack.Merged g : grants) {
                    assertEquals(1, w.mergedExpiries(g.id()), "merged expiries of " + g.id() + "\n" + w.outputs());
                }
            } catch (AssertionError | IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\n" + w.outputs(), e);
            }
        }
    }

    private static boolean someoneWaitsOnALock(ReplicaStack w) {
        try (Connection c = w.targetAdmin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
