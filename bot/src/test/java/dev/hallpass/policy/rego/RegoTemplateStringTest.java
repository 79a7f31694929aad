package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OPA 1.x template strings: {@code $"..{expr}.."}, undefined parts as {@code <undefined>}. */
class RegoTemplateStringTest {

    private static Optional<Value> eval(String module, String ref, String input) {
        return RegoCompiler.compile("p.rego", module).evalRef(ref, input == null ? null : Rego.parseValue(input), null);
    }

    @Test
    void templateString_whenPartsDefined_interpolatesThem() {
        String m =
                """
                package interpolation
                username := "Alice"
                a := $"Hello {username}! {1 + 2} {[true, false]} {"x"} \\{literal}"
                b := $`raw {upper(username)} \\{`
                """;
        assertEquals(
                Optional.of(Value.str("Hello Alice! 3 [true, false] x {literal}")),
                eval(m, "data.interpolation.a", null));
        assertEquals(Optional.of(Value.str("raw ALICE {")), eval(m, "data.interpolation.b", null));
    }

    @Test
    void templateString_whenAPartIsUndefined_rendersUndefinedMarker() {
        String m =
                """
                package interpolation
                default role := "guest"
                role := input.role
                allowed_roles := ["admin", "employee"]
                deny contains $"User {input.username}'s role was '{role}', but must be one of {allowed_roles}" if {
                    not role in allowed_roles
                }
                """;
        assertEquals(
                Optional.of(Value.set(Value.str(
                        "User <undefined>'s role was 'guest', but must be one of [\"admin\", \"employee\"]"))),
                eval(m, "data.interpolation.deny", "{}"));
    }

    @Test
    void templateString_whenExpressionUsesUnboundVariable_isUnsafe() {
        RegoException e =
                assertThrows(RegoException.class, () -> RegoCompiler.compile("p.rego", "package x\na := $\"{y}\"\n"));
        assertEquals("rego_unsafe_var_error", e.code());
    }
}
