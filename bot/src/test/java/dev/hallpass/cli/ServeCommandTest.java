package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServeCommandTest {

    @Test
    void serve_whenNoWebhookSecret_refusesToStart() {
        CliRunner.Result r = CliRunner.run(
                "serve", "--repo", "acme/access", "--webhook-secret-env", "HALLPASS_TEST_UNSET_SECRET_42");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("never accepts unsigned webhooks"), r.err());
    }

    @Test
    void serve_whenRepoMissing_isAUsageError() {
        assertEquals(2, CliRunner.run("serve").exitCode());
    }

    @Test
    void serve_whenNoStateDatabaseAndNoLocalState_refusesToStart() {
        // PATH stands in for the secret and the token: set and non-blank, so the state check is what refuses.
        CliRunner.Result r =
                CliRunner.run("serve", "--repo", "acme/access", "--webhook-secret-env", "PATH", "--token-env", "PATH");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("no state database"), r.err());
    }

    @Test
    void serve_whenStateDatabaseUrlCarriesAPassword_refusesWithoutEchoingIt() {
        CliRunner.Result r = CliRunner.run(
                "serve",
                "--repo",
                "acme/access",
                "--webhook-secret-env",
                "PATH",
                "--token-env",
                "PATH",
                "--state-db",
                "jdbc:postgresql://localhost:1/hallpass?password=hunter2");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("carries a password"), r.err());
        assertTrue(!r.err().contains("hunter2") && !r.out().contains("hunter2"), r.err());
    }
}
