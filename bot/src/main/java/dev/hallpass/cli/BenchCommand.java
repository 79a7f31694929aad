package dev.hallpass.cli;

import dev.hallpass.audit.AuditLog;
import dev.hallpass.audit.HistoryWriter;
import dev.hallpass.audit.LeaseIndex;
import dev.hallpass.audit.SyntheticHistory;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.RoleName;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hallpass bench}: timings on synthetic data, for people; not a test. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks on synthetic data.",
        subcommands = {BenchCommand.Audit.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hallpass bench audit}: builds a large history in a temporary repository and times the audit. */
    @Command(
            name = "audit",
            mixinStandardHelpOptions = true,
            description = "Build a synthetic access repository and time 'audit' and 'audit who' on it.")
    static final class Audit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--commits", defaultValue = "100000", description = "Commits to write (default 100000)")
        int commits;

        @Option(names = "--requests", defaultValue = "20000", description = "Requests to write (default 20000)")
        int requests;

        @Option(names = "--keep", description = "Keep the repository in this directory instead of a temporary one")
        Path keep;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("hallpass-bench");
            try {
                long t0 = System.nanoTime();
                SyntheticHistory.Stats stats;
                try (Repository repo =
                        FileRepositoryBuilder.create(dir.resolve(".git").toFile())) {
                    repo.create(true);
                    // One pack for the whole history: hundreds of thousands of loose files would be slow.
                    try (HistoryWriter w = HistoryWriter.packed(repo)) {
                        stats = SyntheticHistory.write(repo, w, commits, requests, 42);
                        w.updateRef("refs/heads/main");
                    }
                }
                long t1 = System.nanoTime();
                out.printf("%-38s %10s %10s%n", "step", "wall", "cpu");
                out.printf(
                        "%-34s %10s%n",
                        "write " + stats.commits() + " commits, " + stats.requests() + " requests", ms(t1 - t0));
                out.flush();
                try (Repository repo = new FileRepositoryBuilder()
                        .setGitDir(dir.resolve(".git").toFile())
                        .build()) {
                    AuditLog.Options o = new AuditLog.Options(Duration.ofHours(72), stats.end(), null);
                    for (int run = 1; run <= 2; run++) {
                        long a = System.nanoTime();
                        long ca = cpu();
                        AuditLog log = AuditLog.read(repo, "refs/heads/main", o);
                        long b = System.nanoTime();
                        out.printf(
                                "%-38s %10s %10s   (%d rows, %d findings)%n",
                                "audit, run " + run,
                                ms(b - a),
                                ms(cpu() - ca),
                                log.rows().size(),
                                log.findings().size());
                        out.flush();
                    }
                    RoleName role = new RoleName("db-admin");
                    EnvironmentName env = new EnvironmentName("prod-eu");
                    java.time.Instant at = SyntheticHistory.T0.plus(Duration.ofDays(10));
                    java.nio.file.Files.deleteIfExists(LeaseIndex.cacheFile(repo));
                    for (String label : List.of(
                            "audit who, cold (walk, write cache)",
                            "audit who, cached",
                            "audit who, after 10 new commits")) {
                        if (label.contains("new commits")) {
                            addCommits(repo, 10);
                        }
                        var head = repo.resolve("refs/heads/main");
                        long a = System.nanoTime();
                        long ca = cpu();
                        LeaseIndex index = LeaseIndex.load(repo, head, () -> AuditLog.read(repo, head, o));
                        int n = index.who(role, env, at).size();
                        long b = System.nanoTime();
                        out.printf("%-38s %10s %10s   (%d person(s))%n", label, ms(b - a), ms(cpu() - ca), n);
                        out.flush();
                    }
                }
                out.printf(
                        "%d cores, system load average %.1f (other processes share these cores)%n",
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
                out.flush();
                return 0;
            } finally {
                if (keep == null) {
                    delete(dir);
                }
            }
        }

        /** Unrelated commits on top of main, as between two {@code who} questions on a live repository. */
        private static void addCommits(Repository repo, int n) throws IOException {
            try (HistoryWriter w = new HistoryWriter(repo)) {
                w.startFrom(repo.resolve("refs/heads/main"));
                for (int i = 0; i < n; i++) {
                    w.put("notes/changelog.txt", "later change " + i + "\n");
                    w.commit(
                            "Later change " + i,
                            SyntheticHistory.T0.plus(Duration.ofDays(400)).plusSeconds(i));
                }
                w.updateRef("refs/heads/main");
            }
        }

        /** CPU time of the whole process (every thread, JIT and GC included), or 0 where not available. */
        private static long cpu() {
            java.lang.management.OperatingSystemMXBean os =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
                    : 0;
        }

        private static String ms(long nanos) {
            return String.format("%,d ms", nanos / 1_000_000);
        }

        private static void delete(Path dir) throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
