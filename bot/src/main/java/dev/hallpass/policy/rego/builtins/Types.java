package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;

/** is_* and type_name. */
final class Types {
    private Types() {}

    static void register(Reg r) {
        r.fn("is_number", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Num));
        r.fn("is_string", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Str));
        r.fn("is_boolean", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Bool));
        r.fn("is_array", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Arr));
        r.fn("is_set", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.SetV));
        r.fn("is_object", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Obj));
        r.fn("is_null", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Null));
        r.fn("type_name", 1, (ctx, a) -> Value.str(a.get(0).typeName()));
    }
}
