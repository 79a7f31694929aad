package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Finer points of OPA's semantics: with, virtual documents, else, every, undefined. */
class RegoSemanticsTest {

    private static String eval(String module, String query, String input, String data) {
        PolicySet ps = RegoCompiler.compile("p.rego", module);
        List<PolicySet.Result> rs = ps.evalQuery(
                query, input == null ? null : Rego.parseValue(input), data == null ? null : Rego.parseValue(data));
        return rs.stream()
                .map(r -> r.bindings().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().toJson())
                        .collect(Collectors.joining(",")))
                .sorted()
                .collect(Collectors.joining(" | "));
    }

    @Test
    void with_whenDataPathOfRuleReplaced_masksTheRule() {
        String m = "package t\nlimit := 10\np := limit * 2\nq := v if { v := p with data.t.limit as 1 }";
        assertEquals("x=2", eval(m, "x := data.t.q", null, null));
        assertEquals("x=20", eval(m, "x := data.t.p", null, null));
    }

    @Test
    void with_whenNestedPathOfInputReplaced_keepsTheRestOfInput() {
        String m = "package t\np := [input.a, input.b.c]\nq := v if { v := p with input.b.c as 9 }";
        assertEquals("x=[1,9]", eval(m, "x := data.t.q", "{\"a\": 1, \"b\": {\"c\": 2}}", null));
    }

    @Test
    void with_whenBuiltinMockedByFunction_callsTheFunction() {
        String m = "package t\nmock(_) := 42\np := v if { v := count([1, 2]) with count as mock }";
        assertEquals("x=42", eval(m, "x := data.t.p", null, null));
    }

    @Test
    void refIteration_whenBaseAndVirtualDocsMix_enumeratesBoth() {
        String m = "package a.b\nv := 1";
        assertEquals(
                "k=\"base\",x=2 | k=\"v\",x=1", eval(m, "data.a.b[k] = x", null, "{\"a\": {\"b\": {\"base\": 2}}}"));
    }

    @Test
    void elseFunction_whenFirstBodyFails_usesElseValue() {
        String m = "package t\nf(x) := \"neg\" if x < 0 else := \"zero\" if x == 0 else := \"pos\"\n"
                + "p := [f(-1), f(0), f(3)]";
        assertEquals("x=[\"neg\",\"zero\",\"pos\"]", eval(m, "x := data.t.p", null, null));
    }

    @Test
    void every_whenIteratingObject_bindsKeyAndValue() {
        String m = "package t\np if { every k, v in input { startsWith(k, v) } }\nstartsWith(k, v) if k == v";
        assertEquals("x=true", eval(m, "x := data.t.p", "{\"a\": \"a\", \"b\": \"b\"}", null));
        assertEquals("", eval(m, "x := data.t.p", "{\"a\": \"a\", \"b\": \"c\"}", null));
    }

    @Test
    void refHeads_whenTwoRulesWriteDifferentValuesToOneKey_throwConflict() {
        String m = "package t\np.a.b := 1\np[k].b := 2 if k := \"a\"";
        RegoException e = assertThrows(RegoException.class, () -> eval(m, "x := data.t.p", null, null));
        assertEquals("eval_conflict_error", e.code());
    }

    @Test
    void objectComprehension_whenKeyRepeatsWithNewValue_throwsConflict() {
        String m = "package t\np := {k: v | some v in [1, 2]; k := \"same\"}";
        RegoException e = assertThrows(RegoException.class, () -> eval(m, "x := data.t.p", null, null));
        assertEquals("object keys must be unique", e.detail());
    }

    @Test
    void undefined_whenInputMissing_propagatesWithoutError() {
        String m = "package t\np := input.user.name\nq := count(input.items)\ndefault r := \"none\"\nr := p";
        assertEquals("x=\"none\"", eval(m, "x := data.t.r", null, null));
        assertEquals("", eval(m, "x := data.t.q", "{}", null));
    }

    @Test
    void unification_whenBothSidesHaveVariables_bindsEach() {
        assertEquals("a=2,b=1", eval("package t", "[a, 1] = [2, b]", null, null));
        assertEquals("a=1,b=2", eval("package t", "[a, {\"y\": b}] = [1, {\"y\": 2}]", null, null));
    }

    @Test
    void negation_whenUsedWithIteration_filters() {
        String m = "package t\nbanned := {\"b\"}\nok contains u if { some u in input.users; not banned[u] }";
        assertEquals("x=[\"a\",\"c\"]", eval(m, "x := data.t.ok", "{\"users\": [\"a\", \"b\", \"c\"]}", null));
    }
}
