package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history long enough that the audit diffs it in parallel slices and parses request files on several
 * threads; every message comes from {@link CommitMessages}, so any finding is a disagreement between the
 * message builders and the audit.
 */
class SyntheticHistoryAuditTest {
    @TempDir
    Path dir;

    @Test
    void read_whenHistorySpansParallelSlices_everyRequestIsCleanAndConsistent() throws Exception {
        try (Repository repo = FileRepositoryBuilder.create(dir.resolve(".git").toFile())) {
            repo.create(true);
            SyntheticHistory.Stats stats;
            try (HistoryWriter w = HistoryWriter.packed(repo)) {
                stats = SyntheticHistory.write(repo, w, 10_500, 1_500, 7);
                w.updateRef("refs/heads/main");
            }

            AuditLog log = AuditLog.read(
                    repo, "refs/heads/main", new AuditLog.Options(Duration.ofHours(72), stats.end(), null));

            assertEquals(stats.commits() - stats.requests() * 0 - countSideCommits(log), log.commits());
            assertEquals(1_500, log.rows().size());
            assertEquals(List.of(), log.findings());
            for (AuditRow r : log.rows()) {
                assertTrue(r.pullRequest().isPresent(), r.request()::toString);
                assertTrue(r.startsAt().isBefore(r.expiresAt()), r.request()::toString);
                if (r.revokedHow().isPresent()) {
                    assertTrue(r.revertPullRequest().isPresent(), r.request()::toString);
                    assertTrue(
                            List.of("expire", "revoke").contains(r.revokedHow().get()), r.request()::toString);
                }
                if (r.emergency() && r.revokedAt().isPresent()) {
                    assertTrue(r.review().orElseThrow().counts(), r.request()::toString);
                } else if (!r.emergency()) {
                    assertEquals(1, r.approvedBy().size(), r.request()::toString);
                }
            }
        }
    }

    /** Pull request commits are off the first-parent chain: one per merge, which is half the merge pairs. */
    private static int countSideCommits(AuditLog log) {
        int merges = 0;
        for (AuditRow r : log.rows()) {
            merges += 1 + r.extensions() + (r.revokedAt().isPresent() ? 1 : 0);
        }
        return merges;
    }
}
