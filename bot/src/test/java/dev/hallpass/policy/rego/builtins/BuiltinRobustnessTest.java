package dev.hallpass.policy.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.Builtin;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every built-in copes with arbitrary operands: a result, undefined, or an OPA-style error; never a crash. */
class BuiltinRobustnessTest {

    private static final List<Value> POOL = List.of(
            Value.NULL,
            Value.TRUE,
            Value.num(0),
            Value.num(-1),
            Value.num("1.5"),
            Value.num("1e30"),
            Value.str(""),
            Value.str("a.b/c"),
            Value.str("10.0.0.0/8"),
            Value.str("2006-01-02"),
            Value.str("1.2.3"),
            Value.str("[a-z]+"),
            Value.str("åäö😀"),
            Value.EMPTY_ARRAY,
            Value.array(Value.str("a"), Value.num(1)),
            Value.array(Value.num(1), Value.str("UTC")),
            Value.EMPTY_SET,
            Value.set(Value.str("a"), Value.str("b")),
            Value.EMPTY_OBJECT,
            Value.object(Map.of(Value.str("a"), Value.object(Map.of(Value.str("b"), Value.num(1))))));

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void call_returnsOrThrowsBuiltinException_whenOperandsAreArbitrary() {
        Random random = new Random(42);
        for (Builtin b : Builtins.standard().values()) {
            for (int round = 0; round < 60; round++) {
                List<Value> args = new ArrayList<>();
                for (int i = 0; i < b.arity(); i++) {
                    args.add(POOL.get(random.nextInt(POOL.size())));
                }
                try {
                    b.impl().call(new BuiltinTestSupport.TestContext(), args);
                } catch (BuiltinException e) {
                    assertTrue(
                            e.getMessage().startsWith(b.name() + ": ")
                                    || e.getMessage().startsWith(b.name().replaceFirst("^strings\\.", "") + ": "),
                            e.getMessage());
                }
            }
        }
    }

    @Test
    void standard_isImmutable_whenCallerTriesToChangeIt() {
        assertThrows(
                UnsupportedOperationException.class, () -> Builtins.standard().remove("plus"));
    }
}
