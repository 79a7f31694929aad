package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code hallpass demo} as a person runs it: every step verified against the real systems, exit 0. */
class DemoCommandTest {

    @Test
    @Timeout(180)
    void demo_whenRunWithAShortGrant_verifiesEveryStep() {
        CliRunner.Result r = CliRunner.run("demo", "--grant", "5");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("All 7 steps verified"), r.out());
    }
}
