package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinContext;
import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** walk, membership helpers, opa.runtime, trace, and declarations of built-ins Hallpass does not run. */
final class Misc {
    private Misc() {}

    static void register(Reg r) {
        r.rel("walk", 1, (ctx, a) -> {
            List<Value> out = new ArrayList<>();
            walk(ctx, new ArrayList<>(), a.get(0), out);
            return Value.array(out);
        });
        r.fn("internal.member_2", 2, (ctx, a) -> {
            Value x = a.get(0);
            Value c = a.get(1);
            if (c instanceof Value.SetV s) {
                return Value.bool(s.contains(x));
            }
            if (c instanceof Value.Arr arr) {
                for (Value v : arr) {
                    if (v.compareTo(x) == 0) {
                        return Value.TRUE;
                    }
                }
                return Value.FALSE;
            }
            if (c instanceof Value.Obj o) {
                for (Value v : o.entries().values()) {
                    if (v.compareTo(x) == 0) {
                        return Value.TRUE;
                    }
                }
            }
            return Value.FALSE;
        });
        r.fn("internal.member_3", 3, (ctx, a) -> {
            Value k = a.get(0);
            Value x = a.get(1);
            Value c = a.get(2);
            if (c instanceof Value.SetV s) {
                return Value.bool(k.compareTo(x) == 0 && s.contains(x));
            }
            Value v = c instanceof Value.Obj || c instanceof Value.Arr ? Objects.child(c, k) : null;
            return Value.bool(v != null && v.compareTo(x) == 0);
        });
        // Hallpass exposes no environment or configuration to policies; OPA returns {} when it has none.
        r.fn("opa.runtime", 0, (ctx, a) -> Value.EMPTY_OBJECT);
        r.fn("trace", 1, (ctx, a) -> {
            Args.str("trace", a, 0);
            return Value.TRUE;
        });
        // OPA's test helper; it does not sleep here because time.now_ns is fixed for the evaluation anyway.
        r.fn("test.sleep", 1, (ctx, a) -> {
            try {
                GoTime.parseDuration(Args.str("test.sleep", a, 0));
            } catch (GoTime.ParseError e) {
                throw dev.hallpass.policy.rego.BuiltinException.error("test.sleep", e.getMessage());
            }
            return Value.TRUE;
        });
        r.refused("http.send", 1, "network access is refused: Hallpass policies may not call out");
        r.refused("net.lookup_ip_addr", 1, "network access is refused: Hallpass policies may not call out");
        r.unsupported("graphql.is_valid", 2);
        r.unsupported("graphql.parse", 2);
        r.unsupported("graphql.parse_and_verify", 2);
        r.unsupported("graphql.parse_query", 1);
        r.unsupported("graphql.parse_schema", 1);
        r.unsupported("graphql.schema_is_valid", 1);
        r.unsupported("providers.aws.sign_req", 3);
        // The compiler replaces these calls by the annotations of the rule they are in.
        r.refused("rego.metadata.chain", 0, "only callable inside a rule");
        r.refused("rego.metadata.rule", 0, "only callable inside a rule");
        r.unsupported("rego.parse_module", 2);
        r.unsupported("uri.is_valid", 1);
        r.unsupported("uri.parse", 1);
        r.fn("rand.intn", 2, (ctx, a) -> {
            String key = Args.str("rand.intn", a, 0);
            java.math.BigInteger n = Args.integer("rand.intn", a, 1);
            if (n.signum() == 0) {
                return Value.num(0);
            }
            long bound =
                    n.abs().min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            // One value per (key, n) for the whole evaluation, as OPA caches it.
            Object v = ctx.cache()
                    .computeIfAbsent(
                            List.of("rand.intn", key, n),
                            k -> Value.num(java.util.concurrent.ThreadLocalRandom.current()
                                    .nextLong(bound)));
            return (Value) v;
        });
    }

    private static void walk(BuiltinContext ctx, List<Value> path, Value v, List<Value> out) {
        if ((out.size() & 0x3ff) == 0x3ff) {
            ctx.checkBudget();
        }
        out.add(Value.array(Value.array(path), v));
        if (v instanceof Value.Arr arr) {
            for (int i = 0; i < arr.size(); i++) {
                path.add(Value.num(i));
                walk(ctx, path, arr.get(i), out);
                path.remove(path.size() - 1);
            }
        } else if (v instanceof Value.Obj o) {
            for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
                path.add(e.getKey());
                walk(ctx, path, e.getValue(), out);
                path.remove(path.size() - 1);
            }
        } else if (v instanceof Value.SetV s) {
            for (Value x : s) {
                path.add(x);
                walk(ctx, path, x, out);
                path.remove(path.size() - 1);
            }
        }
    }
}
