package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** RFC 6902 JSON Patch over Rego values; sets are addressed by their elements. Failure is undefined. */
final class JsonPatch {
    private JsonPatch() {}

    /** Signals a patch that cannot be applied. */
    private static final class Fail extends RuntimeException {
        Fail() {
            super(null, null, false, false);
        }
    }

    static Value apply(Value doc, Value.Arr patches) {
        try {
            Value cur = doc;
            for (Value p : patches) {
                if (!(p instanceof Value.Obj op)) {
                    throw Args.typeErr(
                            "json.patch",
                            "operand 2 must be array of objects but got array containing " + p.typeName());
                }
                cur = one(cur, op);
            }
            return cur;
        } catch (Fail f) {
            return null;
        }
    }

    private static Value one(Value doc, Value.Obj op) {
        String name = op.get("op") instanceof Value.Str s ? s.value() : null;
        List<Value> path = path(op.get("path"));
        if (name == null) {
            throw new Fail();
        }
        switch (name) {
            case "add":
                return add(doc, path, 0, required(op.get("value")));
            case "remove":
                return remove(doc, path, 0);
            case "replace":
                return add(remove(doc, path, 0), path, 0, required(op.get("value")));
            case "move": {
                List<Value> from = path(op.get("from"));
                Value v = get(doc, from);
                return add(remove(doc, from, 0), path, 0, v);
            }
            case "copy":
                return add(doc, path, 0, get(doc, path(op.get("from"))));
            case "test":
                if (get(doc, path).compareTo(required(op.get("value"))) != 0) {
                    throw new Fail();
                }
                return doc;
            default:
                throw new Fail();
        }
    }

    private static Value required(Value v) {
        if (v == null) {
            throw new Fail();
        }
        return v;
    }

    private static List<Value> path(Value p) {
        if (p instanceof Value.Str s) {
            return JsonBuiltins.parsePath(s.value());
        }
        if (p instanceof Value.Arr a) {
            return a.items();
        }
        throw new Fail();
    }

    private static Value get(Value doc, List<Value> path) {
        Value cur = doc;
        for (Value seg : path) {
            cur = JsonBuiltins.step(cur, seg);
            if (cur == null) {
                throw new Fail();
            }
        }
        return cur;
    }

    private static Value add(Value cur, List<Value> path, int i, Value v) {
        if (i == path.size()) {
            return v;
        }
        Value seg = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof Value.Obj o) {
            TreeMap<Value, Value> out = new TreeMap<>(o.entries());
            if (last) {
                out.put(seg, v);
            } else {
                Value child = o.get(seg);
                if (child == null) {
                    throw new Fail();
                }
                out.put(seg, add(child, path, i + 1, v));
            }
            return Value.object(out);
        }
        if (cur instanceof Value.Arr arr) {
            List<Value> out = new ArrayList<>(arr.items());
            if (last) {
                int idx = seg instanceof Value.Str s && s.value().equals("-") ? arr.size() : idx(seg, arr.size() + 1);
                out.add(idx, v);
            } else {
                int idx = idx(seg, arr.size());
                out.set(idx, add(arr.get(idx), path, i + 1, v));
            }
            return Value.array(out);
        }
        if (cur instanceof Value.SetV s) {
            TreeSet<Value> out = new TreeSet<>(s.items());
            if (last) {
                if (seg.compareTo(v) != 0) {
                    throw new Fail();
                }
                out.add(v);
            } else {
                if (!s.contains(seg)) {
                    throw new Fail();
                }
                out.remove(seg);
                out.add(add(seg, path, i + 1, v));
            }
            return Value.set(out);
        }
        throw new Fail();
    }

    private static Value remove(Value cur, List<Value> path, int i) {
        if (path.isEmpty()) {
            throw new Fail();
        }
        Value seg = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof Value.Obj o) {
            Value child = o.get(seg);
            if (child == null) {
                throw new Fail();
            }
            TreeMap<Value, Value> out = new TreeMap<>(o.entries());
            if (last) {
                out.remove(seg);
            } else {
                out.put(seg, remove(child, path, i + 1));
            }
            return Value.object(out);
        }
        if (cur instanceof Value.Arr arr) {
            int idx = idx(seg, arr.size());
            List<Value> out = new ArrayList<>(arr.items());
            if (last) {
                out.remove(idx);
            } else {
                out.set(idx, remove(arr.get(idx), path, i + 1));
            }
            return Value.array(out);
        }
        if (cur instanceof Value.SetV s) {
            if (!s.contains(seg)) {
                throw new Fail();
            }
            TreeSet<Value> out = new TreeSet<>(s.items());
            out.remove(seg);
            if (!last) {
                out.add(remove(seg, path, i + 1));
            }
            return Value.set(out);
        }
        throw new Fail();
    }

    private static int idx(Value seg, int bound) {
        Integer i = JsonBuiltins.index(seg);
        if (i == null || i < 0 || i >= bound) {
            throw new Fail();
        }
        return i;
    }
}
