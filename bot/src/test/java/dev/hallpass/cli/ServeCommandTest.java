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
}
