package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

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
        assertTrue(run.contains("java -jar \"$JAR\""), run);
        assertTrue(run.contains("action --mode \"$MODE\""), run);
        assertEquals(
                "${{ steps.keys.outputs.root }}/bot/target/hallpass.jar",
                step.path("env").path("JAR").asText());
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
