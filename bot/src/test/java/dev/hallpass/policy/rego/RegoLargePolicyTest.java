package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Policies with 10,000 constants or rules: constant folding and the equality index of rules. */
class RegoLargePolicyTest {

    private static Value input(String json) {
        return Rego.parseValue(json);
    }

    @Test
    void objectLiteral_whenTenThousandEntries_evaluatesWithoutStackOverflow() {
        StringBuilder sb = new StringBuilder("package t\nroles := {");
        for (int i = 0; i < 10_000; i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append("\"role")
                    .append(i)
                    .append("\": {\"max_hours\": ")
                    .append(i % 8 + 1)
                    .append('}');
        }
        sb.append("}\nallow if roles[input.role].max_hours >= input.hours\n");
        PolicySet ps = RegoCompiler.compile("t.rego", sb.toString());

        assertEquals(
                Optional.of(Value.TRUE),
                ps.evalRef("data.t.allow", input("{\"role\": \"role7\", \"hours\": 8}"), null));
        assertEquals(Optional.empty(), ps.evalRef("data.t.allow", input("{\"role\": \"role7\", \"hours\": 9}"), null));
    }

    @Test
    void equalityIndex_whenTenThousandRules_matchesOnlyTheConstantAndKeepsOtherRules() {
        StringBuilder sb = new StringBuilder("package t\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append("grants contains \"g")
                    .append(i)
                    .append("\" if input.role == \"role")
                    .append(i)
                    .append("\"\n");
        }
        sb.append("grants contains \"any\" if input.hours < 2\n");
        sb.append("grants contains \"eq\" if input.role = \"role5\"\n");
        PolicySet ps = RegoCompiler.compile("t.rego", sb.toString());

        assertEquals(
                Optional.of(Rego.parseValue("{\"g5\", \"eq\", \"any\"}")),
                ps.evalRef("data.t.grants", input("{\"role\": \"role5\", \"hours\": 1}"), null));
        assertEquals(
                Optional.of(Rego.parseValue("{\"g9999\"}")),
                ps.evalRef("data.t.grants", input("{\"role\": \"role9999\", \"hours\": 3}"), null));
        // Only the matching rules are tried: far fewer steps than one per rule.
        assertEquals(
                Optional.of(Rego.parseValue("{\"g42\"}")),
                ps.evalRef(
                        "data.t.grants",
                        input("{\"role\": \"role42\", \"hours\": 3}"),
                        null,
                        EvalOptions.DEFAULT.withMaxSteps(1_000)));
        // No rule matches: still an empty set, not an object or undefined.
        assertEquals(
                Optional.of(Value.set()),
                ps.evalRef("data.t.grants", input("{\"role\": \"nobody\", \"hours\": 3}"), null));
        assertEquals(Optional.of(Value.set()), ps.evalRef("data.t.grants", null, null));
    }

    @Test
    void equalityIndex_whenRuleHasElse_stillTriesTheElseBranch() {
        StringBuilder sb = new StringBuilder("package t\n");
        for (int i = 0; i < 20; i++) {
            sb.append("level := ")
                    .append(i)
                    .append(" if input.role == \"r")
                    .append(i)
                    .append("\"\n");
        }
        PolicySet plain = RegoCompiler.compile("t.rego", sb.toString());
        String withElse = sb.toString().replace("level := 3 if input.role == \"r3\"\n", "")
                + "level := 3 if {\n input.role == \"r3\"\n} else := -1\n";
        PolicySet ps = RegoCompiler.compile("t.rego", withElse);

        assertEquals(Optional.of(Value.num(7)), plain.evalRef("data.t.level", input("{\"role\": \"r7\"}"), null));
        assertEquals(Optional.of(Value.num(-1)), ps.evalRef("data.t.level", input("{\"role\": \"zz\"}"), null));
        assertEquals(Optional.of(Value.num(3)), ps.evalRef("data.t.level", input("{\"role\": \"r3\"}"), null));
    }
}
