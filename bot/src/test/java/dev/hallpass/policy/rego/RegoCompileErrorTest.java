package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegoCompileErrorTest {

    static Stream<Arguments> badModules() {
        return Stream.of(
                Arguments.of(
                        "package t\n\np if {\n    x > 1\n}", "policy.rego:4:5: rego_unsafe_var_error: var x is unsafe"),
                Arguments.of(
                        "package t\np contains x if { true }",
                        "policy.rego:2:1: rego_unsafe_var_error: var x is unsafe"),
                Arguments.of("package t\np if {\n  q[", "policy.rego:3:5: rego_parse_error: unexpected EOF"),
                Arguments.of("package t\np := \"abc", "policy.rego:2:6: rego_parse_error: non-terminated string"),
                Arguments.of("package t\np := 1 +* 2", "policy.rego:2:9: rego_parse_error: unexpected * token"),
                Arguments.of("p := 1", "policy.rego:1:1: rego_parse_error: package expected"),
                Arguments.of(
                        "package t\np if q\nq if p",
                        "policy.rego:2:1: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p"),
                Arguments.of("package t\np := nope(1)", "policy.rego:2:6: rego_type_error: undefined function nope"),
                Arguments.of(
                        "package t\np := count(1, 2, 3)",
                        "policy.rego:2:6: rego_type_error: count: arity mismatch\n\thave: 3 arguments\n\twant: 1 arguments"),
                Arguments.of(
                        "package t\np if {\n  x := 1\n  x := 2\n}",
                        "policy.rego:4:3: rego_compile_error: var x assigned above"),
                Arguments.of(
                        "package t\np if {\n  not input.x[i]\n}",
                        "policy.rego:3:15: rego_unsafe_var_error: var i is unsafe"),
                Arguments.of(
                        "package t\np if {\n  x == 1\n  x := 2\n}",
                        "policy.rego:4:3: rego_compile_error: var x referenced above"),
                Arguments.of(
                        "package t\np := 1\np contains 2",
                        "policy.rego:3:1: rego_type_error: conflicting rules data.t.p found"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badModules")
    void compile_whenModuleInvalid_reportsOpaStyleError(String source, String message) {
        RegoException e = assertThrows(RegoException.class, () -> RegoCompiler.compile("policy.rego", source));
        assertEquals(message, e.getMessage());
    }

    @Test
    void compile_whenComprehensionUsesOuterVar_reordersBody() {
        PolicySet ps =
                RegoCompiler.compile("p.rego", "package t\np := ys if {\n ys := [y | some y in xs]\n xs = [1]\n}");
        assertEquals("[1]", ps.evalRef("data.t.p", null, null).orElseThrow().toJson());
    }

    @Test
    void parseValue_whenInputTermHasSets_buildsValue() {
        assertEquals(
                "{\"a\":[[1]],\"b\":[]}",
                Rego.parseValue("{\"a\": {{1}}, \"b\": set(),}").toJson());
    }

    @Test
    void modules_whenParsed_keepComments() {
        PolicySet ps = RegoCompiler.compile("p.rego", "# METADATA\n# title: x\npackage t\np := 1");
        assertEquals(" METADATA", ps.modules().get(0).comments().get(0).text());
    }
}
