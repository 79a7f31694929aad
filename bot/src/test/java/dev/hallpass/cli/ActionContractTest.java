package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * action/action.yml and the template's workflows agree with {@code hallpass action}: the inputs it reads, the
 * outputs it writes, the modes and events it knows. The validators in action/validate.sh check the files' form;
 * this checks that they fit the code.
 */
class ActionContractTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ACTION = TemplateRepo.ROOT.resolve("action/action.yml");
    private static final Path WORKFLOWS = TemplateRepo.PATH.resolve(".github/workflows");

    private static JsonNode read(Path p) throws IOException {
        return YAML.readTree(p.toFile());
    }

    private static JsonNode runStep(JsonNode action) {
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.path("id").asText().equals("hallpass")) {
                return step;
            }
        }
        throw new AssertionError("no step with id hallpass");
    }

    @Test
    void actionOutputs_whenMapped_comeFromOutputsTheCommandWrites() throws IOException {
        JsonNode action = read(ACTION);
        Set<String> names = new TreeSet<>();
        action.path("outputs").fields().forEachRemaining(e -> {
            names.add(e.getKey());
            assertEquals(
                    "${{ steps.hallpass.outputs." + e.getKey() + " }}",
                    e.getValue().path("value").asText(),
                    "output " + e.getKey());
            assertTrue(ActionCommand.OUTPUTS.contains(e.getKey()), e.getKey() + " is never written");
        });
        assertTrue(names.containsAll(List.of("decision", "merged", "applied", "revoked")), names.toString());
    }

    @Test
    void actionRunStep_whenRun_passesTokenAndModeTheCommandReads() throws IOException {
        JsonNode action = read(ACTION);
        assertEquals("composite", action.path("runs").path("using").asText());
        assertTrue(action.path("inputs").path("mode").path("required").asBoolean());
        assertTrue(action.path("inputs").path("github-token").path("required").asBoolean());
        assertEquals(
                "17", action.path("inputs").path("java-version").path("default").asText());
        JsonNode step = runStep(action);
        assertEquals(
                "${{ inputs.github-token }}",
                step.path("env").path("HALLPASS_GITHUB_TOKEN").asText());
        assertTrue(ActionCommand.TOKEN_VARIABLES.contains("HALLPASS_GITHUB_TOKEN"));
        assertEquals("${{ inputs.opa-url }}", step.path("env").path("OPA_URL").asText());
        String run = step.path("run").asText();
        assertTrue(run.contains("-jar \"$JAR\""), run);
        assertTrue(run.contains("action --mode \"$MODE\""), run);
        assertEquals(
                "${{ steps.keys.outputs.root }}/bot/target/hallpass.jar",
                step.path("env").path("JAR").asText());
    }

    private static JsonNode stepNamed(JsonNode action, String name) {
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step named " + name);
    }

    /** Runs a step's bash script as the runner does ({@code bash -e}), in {@code dir}, with {@code env}. */
    private static String bash(String script, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void cacheKeysStep_whenRunInTheRepository_keysOnPomsAndSources(@TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("output");
        Files.createFile(output);
        String script = stepNamed(read(ACTION), "Cache keys").path("run").asText();

        bash(script, TemplateRepo.ROOT, Map.of("GITHUB_OUTPUT", output.toString(), "RUNNER_OS", "Linux"));

        String written = Files.readString(output);
        assertTrue(written.contains("root=" + TemplateRepo.ROOT.toRealPath() + "\n"), written);
        assertTrue(written.matches("(?s).*m2=hallpass-m2-Linux-[0-9a-f]{16}\n.*"), written);
        assertTrue(written.matches("(?s).*jar=hallpass-jar-Linux-[0-9a-f]{16}\n.*"), written);
    }

    /** A stand-in java on PATH that prints the command line the step builds. */
    private static Path fakeJava(Path tmp) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** Runs the action's "Run Hallpass" step with a stand-in java on PATH; the command line it built. */
    private static String runStepCommandLine(Path tmp, String mode, String config, String dryRun) throws Exception {
        Path bin = fakeJava(tmp);
        String script = runStep(read(ACTION)).path("run").asText();
        return bash(
                        script,
                        tmp,
                        Map.of(
                                "PATH", bin + ":" + System.getenv("PATH"),
                                "MODE", mode,
                                "CONFIG", config,
                                "DRY_RUN", dryRun,
                                "JAR", tmp.resolve("hallpass.jar").toString()))
                .strip();
    }

    @Test
    void runStep_whenDryRun_callsTheJarWithModeConfigAndDryRun(@TempDir Path tmp) throws Exception {
        assertEquals(
                "java -Xlog:cds*=off -XX:ArchiveClassesAtExit=" + tmp.resolve("hallpass.jsa") + " -jar "
                        + tmp.resolve("hallpass.jar") + " action --mode expire --config access dir --dry-run",
                runStepCommandLine(tmp, "expire", "access dir", "true"));
    }

    @Test
    void runStep_whenTheClassArchiveExists_mapsItInsteadOfWritingIt(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("hallpass.jsa"), "archive");
        assertEquals(
                "java -Xlog:cds*=off -XX:SharedArchiveFile=" + tmp.resolve("hallpass.jsa") + " -jar "
                        + tmp.resolve("hallpass.jar") + " action --mode check --config .",
                runStepCommandLine(tmp, "check", ".", "false"));
    }

    @Test
    void templateWorkflows_whenTheyUseTheAction_passModesAndEventsItHandles() throws IOException {
        List<String> modes = new ArrayList<>();
        for (String file : List.of("hallpass-check.yml", "hallpass-apply.yml", "hallpass-expire.yml")) {
            JsonNode wf = read(WORKFLOWS.resolve(file));
            for (JsonNode job : wf.path("jobs")) {
                for (JsonNode step : job.path("steps")) {
                    if (step.path("uses").asText().contains("/hallpass/action@")) {
                        String mode = step.path("with").path("mode").asText();
                        ActionCommand.Mode.valueOf(mode); // throws on a mode the command does not know
                        modes.add(mode);
                        assertFalse(step.path("with").path("github-token").isMissingNode(), file);
                    }
                }
            }
        }
        assertEquals(List.of("check", "apply", "expire", "reconcile"), modes);

        JsonNode check = read(WORKFLOWS.resolve("hallpass-check.yml"));
        check.path("on")
                .fieldNames()
                .forEachRemaining(event -> assertTrue(
                        ActionCommand.PULL_REQUEST_EVENTS.contains(event), event + " carries no pull request"));
        assertFalse(check.path("concurrency").path("cancel-in-progress").asBoolean(true));
    }

    @Test
    void grantWorkflows_whenTriggeredTogether_shareOneConcurrencyGroup() throws IOException {
        JsonNode apply = read(WORKFLOWS.resolve("hallpass-apply.yml"));
        JsonNode expire = read(WORKFLOWS.resolve("hallpass-expire.yml"));
        String group = apply.path("concurrency").path("group").asText();
        assertEquals("hallpass-grants-${{ github.repository }}", group);
        assertEquals(group, expire.path("concurrency").path("group").asText());
        assertEquals(
                "contents: read",
                "contents: " + apply.path("permissions").path("contents").asText());
        assertEquals(1, expire.path("permissions").size(), "expire's GITHUB_TOKEN only reads");
        assertTrue(expire.path("on").has("schedule") && expire.path("on").has("workflow_dispatch"));
    }
}
