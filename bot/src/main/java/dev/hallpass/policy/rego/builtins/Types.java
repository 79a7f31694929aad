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
        // Deprecated casts, still in OPA's capabilities: identity on the right type, else a type error.
        r.fn("cast_array", 1, (ctx, a) -> {
            Value v = a.get(0);
            if (v instanceof Value.Arr) {
                return v;
            }
            if (v instanceof Value.SetV s) {
                return Value.array(new java.util.ArrayList<>(s.items()));
            }
            throw Args.typeErr("cast_array", 0, "one of {array, set}", v);
        });
        r.fn("cast_set", 1, (ctx, a) -> {
            Value v = a.get(0);
            if (v instanceof Value.SetV) {
                return v;
            }
            if (v instanceof Value.Arr arr) {
                return Value.set(arr.items());
            }
            throw Args.typeErr("cast_set", 0, "one of {array, set}", v);
        });
        cast(r, "cast_string", Value.Str.class, "string");
        cast(r, "cast_boolean", Value.Bool.class, "boolean");
        cast(r, "cast_null", Value.Null.class, "null");
        cast(r, "cast_object", Value.Obj.class, "object");
    }

    private static void cast(Reg r, String name, Class<? extends Value> type, String expected) {
        r.fn(name, 1, (ctx, a) -> {
            if (type.isInstance(a.get(0))) {
                return a.get(0);
            }
            throw Args.typeErr(name, 0, expected, a.get(0));
        });
    }
}
