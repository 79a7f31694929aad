package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.TreeSet;

/** Set operators and intersection/union of a set of sets. */
final class Sets {
    private Sets() {}

    static void register(Reg r) {
        r.fn("and", 2, (ctx, a) -> {
            TreeSet<Value> out = new TreeSet<>(Args.set("and", a, 0).items());
            out.retainAll(Args.set("and", a, 1).items());
            return Value.set(out);
        });
        r.fn("or", 2, (ctx, a) -> {
            TreeSet<Value> out = new TreeSet<>(Args.set("or", a, 0).items());
            out.addAll(Args.set("or", a, 1).items());
            return Value.set(out);
        });
        // Deprecated alias of the minus operator on sets.
        r.fn("set_diff", 2, (ctx, a) -> {
            TreeSet<Value> out = new TreeSet<>(Args.set("set_diff", a, 0).items());
            out.removeAll(Args.set("set_diff", a, 1).items());
            return Value.set(out);
        });
        r.fn("intersection", 1, (ctx, a) -> {
            TreeSet<Value> out = null;
            for (Value x : Args.set("intersection", a, 0)) {
                Value.SetV s = member("intersection", x);
                if (out == null) {
                    out = new TreeSet<>(s.items());
                } else {
                    out.retainAll(s.items());
                }
            }
            return out == null ? Value.EMPTY_SET : Value.set(out);
        });
        r.fn("union", 1, (ctx, a) -> {
            TreeSet<Value> out = new TreeSet<>();
            for (Value x : Args.set("union", a, 0)) {
                out.addAll(member("union", x).items());
            }
            return Value.set(out);
        });
    }

    private static Value.SetV member(String fn, Value x) {
        if (x instanceof Value.SetV s) {
            return s;
        }
        throw Args.typeErr(fn, "operand 1 must be set of sets but got set containing " + x.typeName());
    }
}
