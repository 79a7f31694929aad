package dev.hallpass.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallpass.bench.BenchInputs;
import dev.hallpass.cli.CliRunner;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.testing.TemplateRepo;
import org.junit.jupiter.api.Test;

/** The project's own Rego tests run in every build, with the embedded engine, like `opa test policies`. */
class ShippedPoliciesTest {

    @Test
    void policyTest_whenRunOnShippedPolicies_allPass() {
        CliRunner.Result r = CliRunner.run(
                "policy", "test", TemplateRepo.ROOT.resolve("policies").toString());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(last.matches("\\d+ passed, 0 failed"), last);
        assertTrue(Integer.parseInt(last.split(" ")[0]) >= 30, "every rule keeps its tests: " + last);
    }

    @Test
    void bundledPolicies_whenEvaluatedOnTemplateInput_allowOnCallEmergency() {
        EmbeddedRegoEngine engine = EmbeddedRegoEngine.compile(EmbeddedPolicySource.bundledPolicies());
        PolicyResult.Defined d = assertInstanceOf(
                PolicyResult.Defined.class,
                engine.evaluate(AccessEvaluator.DECISION_PATH, BenchInputs.emergencyInput()));
        JsonNode decision = d.value();
        assertEquals("emergency", decision.get("kind").asText());
        assertTrue(decision.get("auto_merge").asBoolean(), decision.toString());
        assertEquals("2026-11-06T10:00:00Z", decision.get("retro_review_due").asText());
    }

    @Test
    void bundledPolicies_whenJarIsBuilt_excludeTests() {
        assertTrue(EmbeddedPolicySource.bundledPolicies().keySet().stream().noneMatch(p -> p.endsWith("_test.rego")));
        assertTrue(EmbeddedPolicySource.bundledPolicies().containsKey("policies/hallpass/access/decision.rego"));
    }
}
