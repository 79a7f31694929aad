package dev.hallpass.policy.rego;

import java.util.List;

/**
 * A built-in function. {@link #call} returns the result, or {@code null} when the call is undefined.
 * A relation (such as {@code walk}) returns an {@link Value.Arr} holding every result; the evaluator
 * unifies each with the call's output in turn.
 */
public record Builtin(String name, int arity, boolean relation, Impl impl) {

    public Builtin {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("built-in name is required");
        }
        if (arity < 0) {
            throw new IllegalArgumentException("arity must be >= 0: " + name);
        }
    }

    public static Builtin function(String name, int arity, Impl impl) {
        return new Builtin(name, arity, false, impl);
    }

    public static Builtin relation(String name, int arity, Impl impl) {
        return new Builtin(name, arity, true, impl);
    }

    @FunctionalInterface
    public interface Impl {
        /**
         * @param args exactly {@code arity} arguments, already evaluated
         * @return the result, or null for undefined
         * @throws BuiltinException for type errors and built-in errors
         */
        Value call(BuiltinContext ctx, List<Value> args);
    }
}
