package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.Builtin;
import dev.hallpass.policy.rego.BuiltinException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Collects built-ins while {@link Builtins#standard()} builds its map. */
final class Reg {
    final Map<String, Builtin> map = new LinkedHashMap<>();

    void fn(String name, int arity, Builtin.Impl impl) {
        put(Builtin.function(name, arity, guarded(name, impl)));
    }

    void rel(String name, int arity, Builtin.Impl impl) {
        put(Builtin.relation(name, arity, guarded(name, impl)));
    }

    /**
     * Turns unexpected failures (number overflow, a bug) into a built-in error, which the evaluator
     * treats like any other: the call is undefined, or the query fails in strict mode.
     */
    private static Builtin.Impl guarded(String name, Builtin.Impl impl) {
        return (ctx, args) -> {
            try {
                return impl.call(ctx, args);
            } catch (BuiltinException | BudgetExceededException e) {
                throw e;
            } catch (RuntimeException e) {
                throw BuiltinException.error(name, String.valueOf(e.getMessage()));
            } catch (StackOverflowError e) {
                throw BuiltinException.error(name, "value nested too deeply");
            }
        };
    }

    /** Built-ins declared but not implemented: a module that calls one does not compile. */
    final Set<String> unsupported = new TreeSet<>();

    /**
     * Declared so that a {@code with} may name it, but the compiler rejects calls: an undefined result
     * would let a {@code deny} rule that tests it pass silently.
     */
    void unsupported(String name, int arity) {
        unsupported.add(name);
        fn(name, arity, (ctx, a) -> {
            throw BuiltinException.halt(name, "not supported by Hallpass's embedded Rego engine");
        });
    }

    /** Refused at run time with an error that ends the evaluation; tests mock it with {@code with}. */
    void refused(String name, int arity, String why) {
        fn(name, arity, (ctx, a) -> {
            throw BuiltinException.halt(name, why);
        });
    }

    private void put(Builtin b) {
        if (map.putIfAbsent(b.name(), b) != null) {
            throw new IllegalStateException("duplicate built-in " + b.name());
        }
    }
}
