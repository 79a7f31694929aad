package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Compile-time checks and annotations: ref-head conflicts, constant types, with targets, METADATA. */
class RegoCompilerChecksTest {

    private static RegoException compileError(String module) {
        return assertThrows(RegoException.class, () -> RegoCompiler.compile("p.rego", module));
    }

    @Test
    void compile_whenRuleDefinesDocumentThatRefHeadRulesExtend_isConflictError() {
        RegoException e = compileError("package x\np.q := 1\np.q.r := 2\n");
        assertEquals("rego_type_error", e.code());
        assertTrue(e.getMessage().contains("rule data.x.p.q conflicts with [data.x.p.q.r]"), e.getMessage());
    }

    @Test
    void compile_whenArithmeticOnConstantString_isTypeError() {
        RegoException e = compileError("package x\nf := 1 + \"a\"\n");
        assertEquals("rego_type_error", e.code());
        assertTrue(e.getMessage().contains("plus: invalid argument(s)"), e.getMessage());
        assertEquals(
                "rego_type_error", compileError("package x\nn := count(1)\n").code());
    }

    @Test
    void compile_whenArgumentsAreVariablesOrRightConstants_compiles() {
        PolicySet ps =
                RegoCompiler.compile("p.rego", "package x\nf := input.a + 1\ns := {1, 2} - {2}\nn := count(\"abc\")\n");
        assertEquals(Optional.of(Value.num(3)), ps.evalRef("data.x.n", null, null));
        assertEquals(Optional.of(Value.set(Value.num(1))), ps.evalRef("data.x.s", null, null));
    }

    @Test
    void with_whenTargetIsImportedRule_replacesIt() {
        PolicySet ps = new RegoCompiler()
                .addModule("x.rego", "package x\nrule := 1\nr2 := rule + 1\n")
                .addModule("y.rego", "package y\nimport data.x\nt := v if v := x.r2 with x.rule as 7\n")
                .compile();
        assertEquals(Optional.of(Value.num(8)), ps.evalRef("data.y.t", null, null));
    }

    @Test
    void regoMetadataRule_whenRuleAnnotated_returnsItsAnnotations() {
        String m =
                """
                # METADATA
                # title: Example
                # description: Access rules
                package example

                # METADATA
                # title: Deny invalid numbers
                # description: Numbers may not be higher than 5
                # custom:
                #  severity: MEDIUM
                output := decision if {
                    input.number > 5
                    annotation := rego.metadata.rule()
                    decision := {"severity": annotation.custom.severity, "message": annotation.description}
                }

                chain := rego.metadata.chain()
                none := rego.metadata.rule()
                """;
        PolicySet ps = RegoCompiler.compile("p.rego", m);
        assertEquals(
                Optional.of(Rego.parseValue(
                        "{\"severity\": \"MEDIUM\", \"message\": \"Numbers may not be higher than 5\"}")),
                ps.evalRef("data.example.output", Rego.parseValue("{\"number\": 11}"), null));
        assertEquals(Optional.of(Value.EMPTY_OBJECT), ps.evalRef("data.example.none", null, null));
        assertEquals(
                Optional.of(Rego.parseValue("[{\"path\": [\"data\", \"example\", \"chain\"]}, "
                        + "{\"path\": [\"data\", \"example\"], \"annotations\": "
                        + "{\"scope\": \"package\", \"title\": \"Example\", \"description\": \"Access rules\"}}]")),
                ps.evalRef("data.example.chain", null, null));
    }

    @Test
    void compile_whenMetadataHasUnknownKey_isParseError() {
        RegoException e = compileError("package x\n\n# METADATA\n# titel: typo\np := 1\n");
        assertEquals("rego_parse_error", e.code());
        assertEquals(3, e.loc().row());
    }
}
