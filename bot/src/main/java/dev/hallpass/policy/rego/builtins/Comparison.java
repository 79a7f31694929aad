package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;

/** Comparison operators over OPA's total order of values. */
final class Comparison {
    private Comparison() {}

    static void register(Reg r) {
        r.fn("equal", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) == 0));
        r.fn("neq", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) != 0));
        r.fn("lt", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) < 0));
        r.fn("lte", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) <= 0));
        r.fn("gt", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) > 0));
        r.fn("gte", 2, (ctx, a) -> Value.bool(a.get(0).compareTo(a.get(1)) >= 0));
    }
}
