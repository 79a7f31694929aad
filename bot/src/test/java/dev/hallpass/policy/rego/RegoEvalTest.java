package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegoEvalTest {

    private static Optional<Value> eval(String module, String ref, String input) {
        PolicySet ps = RegoCompiler.compile("policy.rego", module);
        return ps.evalRef(ref, input == null ? null : Rego.parseValue(input), null);
    }

    private static String json(String module, String ref, String input) {
        return eval(module, ref, input).map(Value::toJson).orElse("<undefined>");
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("complete rule", "package t\np := 1", "data.t.p", null, "1"),
                Arguments.of(
                        "if body false is undefined",
                        "package t\np if { input.x == 2 }",
                        "data.t.p",
                        "{\"x\": 1}",
                        "<undefined>"),
                Arguments.of("default", "package t\ndefault p := false\np if input.x", "data.t.p", "{}", "false"),
                Arguments.of(
                        "else chain",
                        "package t\np := 1 if { input.x == 1 } else := 2 if { input.x == 2 } else := 3",
                        "data.t.p",
                        "{\"x\": 2}",
                        "2"),
                Arguments.of(
                        "partial set",
                        "package t\np contains x if { some x in [3, 1, 2, 1] }",
                        "data.t.p",
                        null,
                        "[1,2,3]"),
                Arguments.of(
                        "partial object",
                        "package t\np[k] := v if { some k, v in {\"a\": 1, \"b\": 2}; v > 1 }",
                        "data.t.p",
                        null,
                        "{\"b\":2}"),
                Arguments.of(
                        "ref head",
                        "package t\na.b[c].d := 1 if { some c in [\"x\"] }",
                        "data.t.a",
                        null,
                        "{\"b\":{\"x\":{\"d\":1}}}"),
                Arguments.of(
                        "functions with multiple definitions",
                        "package t\nf(1) := \"one\"\nf(x) := \"big\" if x > 1\np := [f(1), f(5)]",
                        "data.t.p",
                        null,
                        "[\"one\",\"big\"]"),
                Arguments.of("every true", "package t\np if { every x in [1, 2] { x > 0 } }", "data.t.p", null, "true"),
                Arguments.of(
                        "every false",
                        "package t\np if { every x in [1, -2] { x > 0 } }",
                        "data.t.p",
                        null,
                        "<undefined>"),
                Arguments.of("not", "package t\np if { not input.admin }", "data.t.p", "{}", "true"),
                Arguments.of(
                        "comprehensions",
                        "package t\np := {\"a\": [x | some x in [1, 2]], \"s\": {x | x := [1, 1][_]}, \"o\": {k: 1 | k := [\"z\"][_]}}",
                        "data.t.p",
                        null,
                        "{\"a\":[1,2],\"o\":{\"z\":1},\"s\":[1]}"),
                Arguments.of(
                        "membership",
                        "package t\np := [1 in [1], (\"k\", 2 in {\"k\": 2}), 3 in {4}]",
                        "data.t.p",
                        null,
                        "[true,true,false]"),
                Arguments.of(
                        "destructuring",
                        "package t\np := [a, b] if { [a, {\"k\": b}] := [1, {\"k\": 2}] }",
                        "data.t.p",
                        null,
                        "[1,2]"),
                Arguments.of(
                        "set operations",
                        "package t\np := [({1, 2} | {3}), {1, 2} & {2}, {1, 2} - {1}]",
                        "data.t.p",
                        null,
                        "[[1,2,3],[2],[2]]"),
                Arguments.of(
                        "with input",
                        "package t\nq if input.x == 1\np if { q with input as {\"x\": 1} }",
                        "data.t.p",
                        null,
                        "true"),
                Arguments.of(
                        "with function mock",
                        "package t\nf(x) := x\ng(x) := 7\np := y if { y := f(1) with f as g }",
                        "data.t.p",
                        null,
                        "7"),
                Arguments.of(
                        "with builtin mock by value",
                        "package t\np := y if { y := count([1]) with count as 5 }",
                        "data.t.p",
                        null,
                        "5"),
                Arguments.of("keyword in ref", "package t\nif.foo := 1\np := if.foo", "data.t.p", null, "1"),
                Arguments.of("raw string", "package t\np := `a\\b`", "data.t.p", null, "\"a\\\\b\""),
                Arguments.of(
                        "big numbers",
                        "package t\np := 18446744073709551617 + 1 == 18446744073709551618",
                        "data.t.p",
                        null,
                        "true"),
                Arguments.of("unary minus", "package t\nx := 3\np := -x", "data.t.p", null, "-3"),
                Arguments.of(
                        "import alias",
                        "package t\nimport input.user as u\np := u.name",
                        "data.t.p",
                        "{\"user\": {\"name\": \"ann\"}}",
                        "\"ann\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void evalRef_whenPolicyEvaluated_returnsOpaValue(
            String name, String module, String ref, String input, String want) {
        assertEquals(want, json(module, ref, input));
    }

    @Test
    void evalRef_whenBaseAndVirtualDocumentsOverlap_mergesThem() {
        PolicySet ps = RegoCompiler.compile("p.rego", "package a.b\nr := 1");
        Value data = Rego.parseValue("{\"a\": {\"b\": {\"base\": true}, \"c\": 2}}");
        assertEquals(
                "{\"b\":{\"base\":true,\"r\":1},\"c\":2}",
                ps.evalRef("data.a", null, data).orElseThrow().toJson());
    }

    @Test
    void evalQuery_whenQueryHasVariables_returnsAllBindings() {
        PolicySet ps = RegoCompiler.compile("p.rego", "package t\nxs := [\"a\", \"b\"]");
        List<PolicySet.Result> rs = ps.evalQuery("data.t.xs[i] = x", null, null);
        assertEquals(2, rs.size());
        assertEquals(Map.of("i", Value.num(1), "x", Value.str("b")), rs.get(1).bindings());
    }

    @Test
    void evalQuery_whenCompleteRuleHasTwoValues_throwsConflict() {
        PolicySet ps = RegoCompiler.compile("p.rego", "package t\np := x if { some x in [1, 2] }");
        RegoException e = assertThrows(RegoException.class, () -> ps.evalQuery("data.t.p", null, null));
        assertEquals("eval_conflict_error", e.code());
        assertTrue(
                e.getMessage().startsWith("p.rego:2: eval_conflict_error: complete rules must not produce"),
                e.getMessage());
    }

    @Test
    void evalQuery_whenFunctionHasTwoOutputs_throwsConflict() {
        PolicySet ps = RegoCompiler.compile("p.rego", "package t\nf(_) := 1\nf(_) := 2\np := f(0)");
        RegoException e = assertThrows(RegoException.class, () -> ps.evalQuery("data.t.p", null, null));
        assertTrue(e.getMessage().contains("functions must not produce multiple outputs for same inputs"));
    }

    @Test
    void evalQuery_whenStrictBuiltinError_reportsFileAndRow() {
        PolicySet ps = RegoCompiler.compile("test-0.rego", "package t\n\np if {\n  x := 1 / 0\n}");
        RegoException e = assertThrows(
                RegoException.class, () -> ps.evalQuery("data.t.p", null, null, EvalOptions.DEFAULT.withStrict(true)));
        assertEquals("test-0.rego:4: eval_builtin_error: div: divide by zero", e.getMessage());
        assertTrue(ps.evalQuery("data.t.p", null, null).isEmpty(), "non-strict: the call is undefined");
    }

    @Test
    void evalQuery_whenPolicyPrints_sendsLinesToPrinter() {
        PolicySet ps =
                RegoCompiler.compile("p.rego", "package t\np if {\n  print(\"user\", input.user, input.missing)\n}");
        List<String> lines = new java.util.ArrayList<>();
        List<PolicySet.Result> rs = ps.evalQuery(
                "data.t.p",
                Rego.parseValue("{\"user\": {\"n\": 1}}"),
                null,
                EvalOptions.DEFAULT.withPrinter(lines::add));
        assertEquals(1, rs.size());
        assertEquals(List.of("user {\"n\":1} <undefined>"), lines);
    }

    @Test
    void evalRef_whenCalledConcurrently_isThreadSafe() throws Exception {
        PolicySet ps = RegoCompiler.compile("p.rego", "package t\np := count([x | some x in input.xs])");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            int n = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    Value in = Rego.parseValue(
                            "{\"xs\": " + "[1,2,3,4]".substring(0, 2 * n + 2).replaceAll(",$", "") + "]}");
                    if (!ps.evalRef("data.t.p", in, null).orElseThrow().equals(Value.num(n + 1))) {
                        bad.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(0, bad.get());
    }
}
