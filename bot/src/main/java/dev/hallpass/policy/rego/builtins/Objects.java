package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** object.* built-ins. */
final class Objects {
    private Objects() {}

    static void register(Reg r) {
        r.fn("object.get", 3, (ctx, a) -> {
            Value.Obj o = Args.obj("object.get", a, 0);
            Value key = a.get(1);
            if (!(key instanceof Value.Arr path)) {
                Value v = o.get(key);
                return v != null ? v : a.get(2);
            }
            Value cur = o;
            for (Value seg : path) {
                cur = child(cur, seg);
                if (cur == null) {
                    return a.get(2);
                }
            }
            return cur;
        });
        r.fn(
                "object.keys",
                1,
                (ctx, a) -> Value.set(Args.obj("object.keys", a, 0).entries().keySet()));
        r.fn("object.remove", 2, (ctx, a) -> {
            Value.Obj o = Args.obj("object.remove", a, 0);
            TreeMap<Value, Value> out = new TreeMap<>(o.entries());
            out.keySet().removeAll(keys("object.remove", a));
            return Value.object(out);
        });
        r.fn("object.filter", 2, (ctx, a) -> {
            Value.Obj o = Args.obj("object.filter", a, 0);
            TreeMap<Value, Value> out = new TreeMap<>(o.entries());
            out.keySet().retainAll(keys("object.filter", a));
            return Value.object(out);
        });
        r.fn("object.union", 2, (ctx, a) -> union(Args.obj("object.union", a, 0), Args.obj("object.union", a, 1)));
        r.fn("object.union_n", 1, (ctx, a) -> {
            Value.Obj acc = Value.EMPTY_OBJECT;
            for (Value x : Args.arr("object.union_n", a, 0)) {
                if (!(x instanceof Value.Obj o)) {
                    throw Args.typeErr(
                            "object.union_n",
                            "operand 1 must be array of objects but got array containing " + x.typeName());
                }
                acc = union(acc, o);
            }
            return acc;
        });
        r.fn("object.subset", 2, (ctx, a) -> {
            Value sup = a.get(0);
            Value sub = a.get(1);
            if (!collectionLike(sup)) {
                throw Args.typeErr("object.subset", 0, "one of {object, set, array}", sup);
            }
            if (!collectionLike(sub)) {
                throw Args.typeErr("object.subset", 1, "one of {object, set, array}", sub);
            }
            if (sup instanceof Value.Obj && !(sub instanceof Value.Obj)
                    || sub instanceof Value.Obj && !(sup instanceof Value.Obj)
                    || sup instanceof Value.SetV && sub instanceof Value.Arr) {
                throw Args.typeErr(
                        "object.subset", "both arguments object.subset must be of the same type or array and set");
            }
            return Value.bool(subset(sup, sub));
        });
    }

    /** One step into a composite value; null when absent. */
    static Value child(Value cur, Value seg) {
        if (cur instanceof Value.Obj o) {
            return o.get(seg);
        }
        if (cur instanceof Value.Arr arr && seg instanceof Value.Num n) {
            Integer i = n.intValueExact();
            return i != null && i >= 0 && i < arr.size() ? arr.get(i) : null;
        }
        if (cur instanceof Value.SetV s) {
            return s.contains(seg) ? seg : null;
        }
        return null;
    }

    private static Collection<Value> keys(String fn, List<Value> a) {
        Value k = a.get(1);
        if (k instanceof Value.Arr arr) {
            return arr.items();
        }
        if (k instanceof Value.SetV s) {
            return s.items();
        }
        if (k instanceof Value.Obj o) {
            return new ArrayList<>(o.entries().keySet());
        }
        throw Args.typeErr(fn, 1, "one of {object, set, array}", k);
    }

    /** Deep merge: values of b win, except that two objects under one key merge recursively. */
    static Value.Obj union(Value.Obj a, Value.Obj b) {
        TreeMap<Value, Value> out = new TreeMap<>(a.entries());
        for (Map.Entry<Value, Value> e : b.entries().entrySet()) {
            Value old = out.get(e.getKey());
            if (old instanceof Value.Obj oa && e.getValue() instanceof Value.Obj ob) {
                out.put(e.getKey(), union(oa, ob));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Value.object(out);
    }

    private static boolean collectionLike(Value v) {
        return v instanceof Value.Obj || v instanceof Value.SetV || v instanceof Value.Arr;
    }

    private static boolean subset(Value sup, Value sub) {
        if (sup instanceof Value.Obj so && sub instanceof Value.Obj bo) {
            for (Map.Entry<Value, Value> e : bo.entries().entrySet()) {
                Value sv = so.get(e.getKey());
                if (sv == null) {
                    return false;
                }
                Value bv = e.getValue();
                boolean nested = sv instanceof Value.Obj && bv instanceof Value.Obj
                        || sv instanceof Value.SetV && bv instanceof Value.SetV
                        || sv instanceof Value.Arr && bv instanceof Value.Arr;
                if (nested ? !subset(sv, bv) : sv.compareTo(bv) != 0) {
                    return false;
                }
            }
            return true;
        }
        if (sup instanceof Value.SetV ss && sub instanceof Value.SetV bs) {
            return ss.items().containsAll(bs.items());
        }
        if (sup instanceof Value.Arr sa && sub instanceof Value.SetV bs) {
            return new java.util.TreeSet<>(sa.items()).containsAll(bs.items());
        }
        if (sup instanceof Value.Arr sa && sub instanceof Value.Arr ba) {
            return java.util.Collections.indexOfSubList(sa.items(), ba.items()) >= 0;
        }
        return false;
    }
}
