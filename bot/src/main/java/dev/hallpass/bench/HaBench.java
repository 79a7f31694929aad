package dev.hallpass.bench;

import dev.hallpass.demo.ReplicaStack;
import dev.hallpass.demo.ServeProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bench --area ha}: three {@code serve} processes on one GitHub stand-in and one state database; the
 * leader is killed with SIGKILL just before the first of {@code grants} expiries, spread over the seconds
 * after it. Measures how late each grant was revoked (from the target database's role membership, polled
 * every 20 ms) and how long the cluster was without a leader.
 */
public final class HaBench {
    private HaBench() {}

    public static void run(BenchTable table) throws Exception {
        try (ReplicaStack stack = new ReplicaStack()) {
            List<String> people = ReplicaStack.PEOPLE;
            // Expiries 0.2 s to 4 s after the kill, which comes 30 s after the merges (time for three JVMs to start).
            long[] afterKillMs = {200, 500, 1000, 2000, 4000};
            Instant killAt = Instant.now().plusSeconds(30);
            List<ReplicaStack.Merged> grants = new ArrayList<>();
            for (int i = 0; i < people.size(); i++) {
                Instant expiry = killAt.plusMillis(afterKillMs[i]);
                // Merges are stamped to the second: round the duration up so the expiry falls after the kill.
                long seconds = Duration.between(Instant.now(), expiry).toSeconds() + 1;
                grants.add(stack.mergeRequest("bench-" + people.get(i), people.get(i), Duration.ofSeconds(seconds)));
            }
            List<ServeProcess> replicas = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                replicas.add(stack.serve("bench-replica-" + i));
            }
            for (ServeProcess p : replicas) {
                p.awaitListening(Duration.ofSeconds(60));
            }
            ServeProcess.await(
                    Duration.ofSeconds(30), () -> stack.members().containsAll(people), "for every grant to be applied");
            ServeProcess leader = replicas.stream()
                    .filter(ReplicaStack::leads)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no leader"));
            Instant firstExpiry = grants.stream()
                    .map(ReplicaStack.Merged::expiresAt)
                    .min(Instant::compareTo)
                    .orElseThrow();

            Map<String, Instant> revokedAt = new ConcurrentHashMap<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    var now = stack.members();
                    Instant t = Instant.now();
                    people.stream().filter(p -> !now.contains(p)).forEach(p -> revokedAt.putIfAbsent(p, t));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.setDaemon(true);
            watcher.start();

            ServeProcess.await(
                    Duration.ofSeconds(60),
                    () -> Instant.now().isAfter(firstExpiry.minusMillis(300)),
                    "until just before the first expiry");
            Instant killed = Instant.now();
            leader.kill9();
            System.err.println("killed " + leader.name() + " at " + killed + "; expiries "
                    + grants.stream().map(g -> g.person() + "@" + g.expiresAt()).toList());
            ServeProcess.await(
                    Duration.ofSeconds(30),
                    () -> replicas.stream().anyMatch(ReplicaStack::leads),
                    "for another replica to lead");
            Duration failover = Duration.between(killed, Instant.now());
            ServeProcess.await(
                    Duration.ofSeconds(60),
                    () -> revokedAt.keySet().containsAll(people),
                    "for every grant to be revoked");
            watching.set(false);

            long[] lags = new long[grants.size()];
            for (int i = 0; i < grants.size(); i++) {
                ReplicaStack.Merged g = grants.get(i);
                lags[i] = Math.max(
                        0,
                        Duration.between(g.expiresAt(), revokedAt.get(g.person()))
                                .toNanos());
            }
            double p50 = BenchTable.percentileMillis(lags, 50);
            double max = BenchTable.percentileMillis(lags, 100);
            table.add(
                    "ha",
                    "leader killed (SIGKILL) → another replica leads, seen on /readyz",
                    BenchTable.ms(failover.toNanos() / 1e6),
                    "",
                    null);
            table.add(
                    "ha", "revoke lag after failover, p50 (" + lags.length + " grants)", BenchTable.ms(p50), "", null);
            table.add("ha", "revoke lag after failover, max", BenchTable.ms(max), "≤ 1 s", max <= 1000);
        }
    }
}
