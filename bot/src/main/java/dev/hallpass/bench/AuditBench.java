package dev.hallpass.bench;

import dev.hallpass.audit.AuditLog;
import dev.hallpass.audit.HistoryWriter;
import dev.hallpass.audit.LeaseIndex;
import dev.hallpass.audit.SyntheticHistory;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.RoleName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Audit figures on a synthetic access repository: rebuilding the trail from git, and "who had access". */
public final class AuditBench {
    private AuditBench() {}

    public static void run(BenchTable table, int commits, int requests, Path keep) throws IOException {
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
            String size = String.format(Locale.ROOT, "%,d commits, %,d requests", stats.commits(), stats.requests());
            table.add(
                    "audit",
                    "write the synthetic history (" + size + ")",
                    BenchTable.ms((System.nanoTime() - t0) / 1e6),
                    "",
                    null);
            try (Repository repo = new FileRepositoryBuilder()
                    .setGitDir(dir.resolve(".git").toFile())
                    .build()) {
                AuditLog.Options o = new AuditLog.Options(Duration.ofHours(72), stats.end(), null);
                for (int run = 1; run <= 2; run++) {
                    long a = System.nanoTime();
                    AuditLog log = AuditLog.read(repo, "refs/heads/main", o);
                    double ms = (System.nanoTime() - a) / 1e6;
                    String what = String.format(
                            Locale.ROOT,
                            "audit over %s, run %d (%,d rows)",
                            size,
                            run,
                            log.rows().size());
                    table.add("audit", what, BenchTable.ms(ms), "≤ 10 s", ms <= 10_000);
                }
                RoleName role = new RoleName("db-admin");
                EnvironmentName env = new EnvironmentName("prod-eu");
                Instant at = SyntheticHistory.T0.plus(Duration.ofDays(10));
                Files.deleteIfExists(LeaseIndex.cacheFile(repo));
                for (String label : new String[] {
                    "audit who, cold (walks history, writes the cache)",
                    "audit who, cached",
                    "audit who, after 10 new commits"
                }) {
                    if (label.contains("new commits")) {
                        addCommits(repo, 10);
                    }
                    ObjectId head = repo.resolve("refs/heads/main");
                    long a = System.nanoTime();
                    LeaseIndex.load(repo, head, () -> AuditLog.read(repo, head, o))
                            .who(role, env, at);
                    double ms = (System.nanoTime() - a) / 1e6;
                    boolean cold = label.contains("cold");
                    table.add("audit", label, BenchTable.ms(ms), cold ? "" : "≤ 1 s", cold ? null : ms <= 1000);
                }
            }
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

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
