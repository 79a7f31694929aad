package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** count, sum, product, max, min, sort, all, any. */
final class Aggregates {
    private Aggregates() {}

    static void register(Reg r) {
        r.fn("count", 1, (ctx, a) -> {
            Value v = a.get(0);
            if (v instanceof Value.Str s) {
                return Value.num(Args.cpLen(s.value()));
            }
            if (v instanceof Value.Arr x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.Obj x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.SetV x) {
                return Value.num(x.size());
            }
            throw Args.typeErr("count", 0, "one of {array, object, set, string}", v);
        });
        r.fn("sum", 1, (ctx, a) -> {
            BigDecimal acc = BigDecimal.ZERO;
            for (Value x : Args.collection("sum", a, 0, "one of {set, array}")) {
                acc = Numbers.add(acc, number("sum", x));
            }
            return Value.num(acc);
        });
        r.fn("product", 1, (ctx, a) -> {
            BigDecimal acc = BigDecimal.ONE;
            for (Value x : Args.collection("product", a, 0, "one of {set, array}")) {
                acc = acc.multiply(number("product", x));
            }
            return Value.num(acc);
        });
        r.fn("max", 1, (ctx, a) -> extreme(Args.collection("max", a, 0, "one of {set, array}"), 1));
        r.fn("min", 1, (ctx, a) -> extreme(Args.collection("min", a, 0, "one of {set, array}"), -1));
        r.fn("sort", 1, (ctx, a) -> {
            List<Value> out = new ArrayList<>(Args.collection("sort", a, 0, "one of {set, array}"));
            out.sort(null);
            return Value.array(out);
        });
        r.fn("all", 1, (ctx, a) -> {
            for (Value x : Args.collection("all", a, 0, "one of {set, array}")) {
                if (!Value.TRUE.equals(x)) {
                    return Value.FALSE;
                }
            }
            return Value.TRUE;
        });
        r.fn("any", 1, (ctx, a) -> {
            Collection<Value> c = Args.collection("any", a, 0, "one of {set, array}");
            return Value.bool(c.contains(Value.TRUE));
        });
    }

    private static BigDecimal number(String fn, Value x) {
        if (x instanceof Value.Num n) {
            return n.value();
        }
        throw Args.typeErr(fn, "operand 1 must be array of numbers but got array containing " + x.typeName());
    }

    /** Undefined on an empty collection, as in OPA. */
    private static Value extreme(Collection<Value> c, int sign) {
        Value best = null;
        for (Value x : c) {
            if (best == null || Integer.signum(x.compareTo(best)) == sign) {
                best = x;
            }
        }
        return best;
    }
}
