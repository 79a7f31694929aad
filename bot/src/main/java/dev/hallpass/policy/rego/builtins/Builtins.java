package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Builtin;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * PLACEHOLDER for the engine's own tests, to be replaced by the real built-in library when the
 * {@code rego-builtins} branch is merged. Only a handful of built-ins, with the real names and arities.
 */
public final class Builtins {
    private Builtins() {}

    public static Map<String, Builtin> standard() {
        Map<String, Builtin> m = new HashMap<>();
        add(
                m,
                Builtin.function(
                        "plus",
                        2,
                        (c, a) -> Value.num(
                                num(a, "plus").value().add(num(a, 1, "plus").value()))));
        add(m, Builtin.function("minus", 2, (c, a) -> {
            if (a.get(0) instanceof Value.SetV x && a.get(1) instanceof Value.SetV y) {
                TreeSet<Value> s = new TreeSet<>(x.items());
                s.removeAll(y.items());
                return Value.set(s);
            }
            return Value.num(num(a, "minus").value().subtract(num(a, 1, "minus").value()));
        }));
        add(
                m,
                Builtin.function(
                        "mul",
                        2,
                        (c, a) -> Value.num(
                                num(a, "mul").value().multiply(num(a, 1, "mul").value()))));
        add(m, Builtin.function("div", 2, (c, a) -> {
            BigDecimal d = num(a, 1, "div").value();
            if (d.signum() == 0) {
                throw BuiltinException.error("div", "divide by zero");
            }
            return Value.num(num(a, "div").value().divide(d, MathContext.DECIMAL128));
        }));
        add(m, Builtin.function("rem", 2, (c, a) -> {
            BigDecimal d = num(a, 1, "rem").value();
            if (d.signum() == 0) {
                throw BuiltinException.error("rem", "modulo by zero");
            }
            return Value.num(num(a, "rem").value().remainder(d));
        }));
        add(m, Builtin.function("equal", 2, (c, a) -> Value.bool(a.get(0).equals(a.get(1)))));
        add(m, Builtin.function("neq", 2, (c, a) -> Value.bool(!a.get(0).equals(a.get(1)))));
        add(m, Builtin.function("lt", 2, (c, a) -> Value.bool(a.get(0).compareTo(a.get(1)) < 0)));
        add(m, Builtin.function("lte", 2, (c, a) -> Value.bool(a.get(0).compareTo(a.get(1)) <= 0)));
        add(m, Builtin.function("gt", 2, (c, a) -> Value.bool(a.get(0).compareTo(a.get(1)) > 0)));
        add(m, Builtin.function("gte", 2, (c, a) -> Value.bool(a.get(0).compareTo(a.get(1)) >= 0)));
        add(m, Builtin.function("and", 2, (c, a) -> {
            TreeSet<Value> s = new TreeSet<>(set(a, 0, "and").items());
            s.retainAll(set(a, 1, "and").items());
            return Value.set(s);
        }));
        add(m, Builtin.function("or", 2, (c, a) -> {
            TreeSet<Value> s = new TreeSet<>(set(a, 0, "or").items());
            s.addAll(set(a, 1, "or").items());
            return Value.set(s);
        }));
        add(m, Builtin.function("count", 1, (c, a) -> {
            Value v = a.get(0);
            if (v instanceof Value.Arr x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.SetV x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.Obj x) {
                return Value.num(x.size());
            }
            if (v instanceof Value.Str x) {
                return Value.num(x.value().codePointCount(0, x.value().length()));
            }
            throw BuiltinException.operand("count", 1, "one of {array, object, set, string}", v);
        }));
        add(m, Builtin.function("sum", 1, (c, a) -> {
            BigDecimal s = BigDecimal.ZERO;
            for (Value v : items(a.get(0), "sum")) {
                if (!(v instanceof Value.Num n)) {
                    throw BuiltinException.operand("sum", 1, "one of {array, set}", a.get(0));
                }
                s = s.add(n.value());
            }
            return Value.num(s);
        }));
        add(m, Builtin.function("concat", 2, (c, a) -> {
            if (!(a.get(0) instanceof Value.Str sep)) {
                throw BuiltinException.operand("concat", 1, "string", a.get(0));
            }
            List<String> parts = new ArrayList<>();
            for (Value v : items(a.get(1), "concat")) {
                if (!(v instanceof Value.Str s)) {
                    throw BuiltinException.operand("concat", 2, "one of {array, set}", a.get(1));
                }
                parts.add(s.value());
            }
            return Value.str(String.join(sep.value(), parts));
        }));
        add(m, Builtin.function("sprintf", 2, (c, a) -> {
            if (!(a.get(0) instanceof Value.Str fmt) || !(a.get(1) instanceof Value.Arr args)) {
                throw BuiltinException.operand("sprintf", 1, "string", a.get(0));
            }
            StringBuilder sb = new StringBuilder();
            String s = fmt.value();
            int ai = 0;
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '%' && i + 1 < s.length()) {
                    char verb = s.charAt(++i);
                    if (verb == '%') {
                        sb.append('%');
                    } else if (ai < args.size()) {
                        Value v = args.get(ai++);
                        sb.append(v instanceof Value.Str str ? str.value() : v.toString());
                    }
                } else {
                    sb.append(ch);
                }
            }
            return Value.str(sb.toString());
        }));
        add(m, Builtin.function("time.now_ns", 0, (c, a) -> Value.num(c.nowNs())));
        add(m, Builtin.function("http.send", 1, (c, a) -> {
            throw BuiltinException.error("http.send", "not supported");
        }));
        add(m, Builtin.function("io.jwt.decode_verify", 2, (c, a) -> {
            throw BuiltinException.error("io.jwt.decode_verify", "not supported");
        }));
        add(m, Builtin.function("opa.runtime", 0, (c, a) -> {
            throw BuiltinException.error("opa.runtime", "not supported");
        }));
        return Map.copyOf(m);
    }

    private static void add(Map<String, Builtin> m, Builtin b) {
        m.put(b.name(), b);
    }

    private static Value.Num num(List<Value> a, String name) {
        return num(a, 0, name);
    }

    private static Value.Num num(List<Value> a, int i, String name) {
        if (a.get(i) instanceof Value.Num n) {
            return n;
        }
        throw BuiltinException.operand(name, i + 1, "number", a.get(i));
    }

    private static Value.SetV set(List<Value> a, int i, String name) {
        if (a.get(i) instanceof Value.SetV s) {
            return s;
        }
        throw BuiltinException.operand(name, i + 1, "set", a.get(i));
    }

    private static Iterable<Value> items(Value v, String name) {
        if (v instanceof Value.Arr x) {
            return x.items();
        }
        if (v instanceof Value.SetV x) {
            return x.items();
        }
        throw BuiltinException.operand(name, 1, "one of {array, set}", v);
    }
}
