package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Builtin;
import java.util.LinkedHashMap;
import java.util.Map;

/** Collects built-ins while {@link Builtins#standard()} builds its map. */
final class Reg {
    final Map<String, Builtin> map = new LinkedHashMap<>();

    void fn(String name, int arity, Builtin.Impl impl) {
        put(Builtin.function(name, arity, impl));
    }

    void rel(String name, int arity, Builtin.Impl impl) {
        put(Builtin.relation(name, arity, impl));
    }

    /** Declared so policies that mock it with {@code with} compile; calling it is an error. */
    void unsupported(String name, int arity) {
        fn(name, arity, (ctx, a) -> {
            throw dev.hallpass.policy.rego.BuiltinException.error(name, "not supported");
        });
    }

    private void put(Builtin b) {
        if (map.putIfAbsent(b.name(), b) != null) {
            throw new IllegalStateException("duplicate built-in " + b.name());
        }
    }
}
