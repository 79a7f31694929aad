package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;

/** array.* built-ins. */
final class Arrays {
    private Arrays() {}

    static void register(Reg r) {
        r.fn("array.concat", 2, (ctx, a) -> {
            List<Value> out = new ArrayList<>(Args.arr("array.concat", a, 0).items());
            out.addAll(Args.arr("array.concat", a, 1).items());
            return Value.array(out);
        });
        r.fn("array.slice", 3, (ctx, a) -> {
            List<Value> items = Args.arr("array.slice", a, 0).items();
            int start = Args.intArg("array.slice", a, 1);
            int stop = Args.intArg("array.slice", a, 2);
            start = Math.max(start, 0);
            stop = Math.min(stop, items.size());
            if (start >= stop) {
                return Value.EMPTY_ARRAY;
            }
            return Value.array(items.subList(start, stop));
        });
        r.fn("array.reverse", 1, (ctx, a) -> {
            List<Value> out = new ArrayList<>(Args.arr("array.reverse", a, 0).items());
            java.util.Collections.reverse(out);
            return Value.array(out);
        });
        r.fn("array.flatten", 1, (ctx, a) -> {
            List<Value> out = new ArrayList<>();
            flatten(Args.arr("array.flatten", a, 0), out);
            return Value.array(out);
        });
    }

    private static void flatten(Value.Arr arr, List<Value> out) {
        for (Value v : arr) {
            if (v instanceof Value.Arr inner) {
                flatten(inner, out);
            } else {
                out.add(v);
            }
        }
    }
}
