package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a tiny history; it times nothing here. */
class AuditBenchCommandTest {
    @Test
    void benchAudit_whenSmall_printsEveryStepAsATableRow() {
        CliRunner.Result r = CliRunner.run("bench", "--area=audit", "--audit-commits=300", "--audit-requests=40");

        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, r.err());
        assertTrue(r.out().startsWith("| area | metric | measured | target | met |"), r.out());
        assertTrue(r.out().contains("audit over 300 commits, 40 requests, run 1 (40 rows)"), r.out());
        assertTrue(r.out().contains("| audit | audit who, cached |"), r.out());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("| audit |")).count(), r.out());
    }
}
