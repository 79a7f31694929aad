package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a tiny history; it times nothing here. */
class AuditBenchCommandTest {
    @Test
    void benchAudit_whenSmall_printsEveryStep() {
        CliRunner.Result r = CliRunner.run("bench", "audit", "--commits=300", "--requests=40");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("audit, run 1"), r.out());
        assertTrue(r.out().contains("(40 rows, 0 findings)"), r.out());
        assertTrue(r.out().contains("audit who, cached"), r.out());
    }
}
