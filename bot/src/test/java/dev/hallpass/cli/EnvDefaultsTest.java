package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EnvDefaultsTest {

    private static ServeCommand parse(Map<String, String> env, String... args) {
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        cli.setDefaultValueProvider(new EnvDefaults(env));
        cli.parseArgs(args);
        return serve;
    }

    @Test
    void serve_whenOptionsComeFromEnvironment_takesThem() {
        ServeCommand s = parse(Map.of(
                "HALLPASS_REPO", "acme/access,acme/other",
                "HALLPASS_PORT", "9191",
                "HALLPASS_RESYNC", "PT1M",
                "HALLPASS_STATE_DIR", "/var/lib/hallpass",
                "HALLPASS_DRY_RUN", "true"));
        assertEquals(java.util.List.of("acme/access", "acme/other"), s.repos);
        assertEquals(9191, s.port);
        assertEquals(Duration.ofMinutes(1), s.resync);
        assertEquals(Path.of("/var/lib/hallpass"), s.stateDir);
        assertTrue(s.dryRun);
    }

    @Test
    void serve_whenFlagAndVariableBothGiven_flagWins() {
        ServeCommand s = parse(Map.of("HALLPASS_PORT", "9191", "HALLPASS_REPO", "acme/access"), "--port", "7070");
        assertEquals(7070, s.port);
    }

    @Test
    void serve_whenVariableUnsetOrBlank_keepsTheOptionsDefault() {
        ServeCommand s = parse(Map.of("HALLPASS_PORT", " "), "--repo", "acme/access");
        assertEquals(8080, s.port);
        assertEquals("main", s.branch);
    }

    @Test
    void variable_isPrefixedUpperSnakeOfTheLongestName() {
        CommandLine cli = new CommandLine(new ServeCommand());
        assertEquals(
                "HALLPASS_WEBHOOK_SECRET_ENV",
                EnvDefaults.variable(cli.getCommandSpec().findOption("--webhook-secret-env")));
    }

    @Test
    void main_whenRunWithVariables_configuresServeFromThem() {
        // The secret variable's name comes from the environment, so the refusal names it.
        CliRunner.Result r = CliRunner.runWithEnv(
                Map.of("HALLPASS_REPO", "acme/access", "HALLPASS_WEBHOOK_SECRET_ENV", "HALLPASS_TEST_UNSET_77"),
                "serve");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("HALLPASS_TEST_UNSET_77"), r.err());
    }
}
