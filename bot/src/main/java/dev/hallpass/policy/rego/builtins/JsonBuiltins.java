package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;

/** json.* and yaml.* built-ins. */
final class JsonBuiltins {
    private JsonBuiltins() {}

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(1000)
                    .maxNumberLength(10_000)
                    .build())
            .build();

    static void register(Reg r) {
        r.fn("json.marshal", 1, (ctx, a) -> Value.str(a.get(0).toJson()));
        r.fn("json.marshal_with_options", 2, (ctx, a) -> marshalWithOptions(a));
        r.fn("json.unmarshal", 1, (ctx, a) -> {
            try {
                return parseJson(str("json.unmarshal", a, 0));
            } catch (IOException | IllegalArgumentException e) {
                throw BuiltinException.error("json.unmarshal", jsonMessage(e));
            }
        });
        r.fn("json.is_valid", 1, (ctx, a) -> {
            if (!(a.get(0) instanceof Value.Str s)) {
                return Value.FALSE;
            }
            try {
                parseJson(s.value());
                return Value.TRUE;
            } catch (IOException | IllegalArgumentException e) {
                return Value.FALSE;
            }
        });
        r.fn("json.filter", 2, (ctx, a) -> {
            Value.Obj o = Args.obj("json.filter", a, 0);
            List<List<Value>> paths = paths("json.filter", a.get(1));
            return filter(o, paths);
        });
        r.fn("json.remove", 2, (ctx, a) -> {
            Value.Obj o = Args.obj("json.remove", a, 0);
            List<List<Value>> paths = paths("json.remove", a.get(1));
            Value out = o;
            for (List<Value> p : paths) {
                out = remove(out, p, 0);
            }
            return out;
        });
        r.fn("json.patch", 2, (ctx, a) -> JsonPatch.apply(a.get(0), Args.arr("json.patch", a, 1)));
        r.fn("yaml.marshal", 1, (ctx, a) -> {
            DumperOptions opts = new DumperOptions();
            opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            return Value.str(new Yaml(opts).dump(a.get(0).toJava()));
        });
        r.fn("yaml.unmarshal", 1, (ctx, a) -> parseYaml("yaml.unmarshal", str("yaml.unmarshal", a, 0)));
        r.fn("yaml.is_valid", 1, (ctx, a) -> {
            if (!(a.get(0) instanceof Value.Str s)) {
                return Value.FALSE;
            }
            try {
                parseYaml("yaml.is_valid", s.value());
                return Value.TRUE;
            } catch (BuiltinException e) {
                return Value.FALSE;
            }
        });
    }

    // ---------------------------------------------------------------- JSON text

    /** Parses JSON into values, keeping every number exactly as written. */
    static Value parseJson(String s) throws IOException {
        try (JsonParser p = JSON.createParser(s)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("unexpected end of JSON input");
            }
            Value v = read(p, t);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("invalid character after top-level value");
            }
            return v;
        }
    }

    private static Value read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<Value, Value> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(Value.str(k), read(p, p.nextToken()));
                }
                return Value.object(m);
            }
            case START_ARRAY: {
                List<Value> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, n));
                }
                return Value.array(l);
            }
            case VALUE_STRING:
                return Value.str(p.getText());
            case VALUE_NUMBER_INT:
                return Value.num(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return Value.num(p.getDecimalValue());
            case VALUE_TRUE:
                return Value.TRUE;
            case VALUE_FALSE:
                return Value.FALSE;
            case VALUE_NULL:
                return Value.NULL;
            default:
                throw new IllegalArgumentException("unexpected token " + t);
        }
    }

    private static String jsonMessage(Exception e) {
        if (e instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return e.getMessage();
    }

    private static Value marshalWithOptions(List<Value> a) {
        Value.Obj opts = Args.obj("json.marshal_with_options", a, 1);
        String prefix = "";
        String indent = "\t";
        boolean pretty = false;
        boolean indentSet = false;
        for (Map.Entry<Value, Value> e : opts.entries().entrySet()) {
            String k = e.getKey() instanceof Value.Str s ? s.value() : "";
            Value v = e.getValue();
            switch (k) {
                case "pretty" -> {
                    if (!(v instanceof Value.Bool b)) {
                        throw Args.typeErr("json.marshal_with_options", "operand 2 \"pretty\" must be boolean");
                    }
                    pretty = b.value();
                }
                case "prefix" -> {
                    if (!(v instanceof Value.Str s)) {
                        throw Args.typeErr("json.marshal_with_options", "operand 2 \"prefix\" must be string");
                    }
                    prefix = s.value();
                    indentSet = true;
                }
                case "indent" -> {
                    if (!(v instanceof Value.Str s)) {
                        throw Args.typeErr("json.marshal_with_options", "operand 2 \"indent\" must be string");
                    }
                    indent = s.value();
                    indentSet = true;
                }
                default -> throw BuiltinException.error(
                        "json.marshal_with_options",
                        "object operand must contain only \"pretty\", \"prefix\" and \"indent\" keys");
            }
        }
        if (!pretty && !(indentSet && opts.get("pretty") == null)) {
            return Value.str(a.get(0).toJson());
        }
        // As Go's MarshalIndent: the prefix starts every line but the first.
        StringBuilder sb = new StringBuilder();
        pretty(a.get(0), sb, prefix, indent, 0);
        return Value.str(sb.toString());
    }

    /** encoding/json's MarshalIndent layout. */
    private static void pretty(Value v, StringBuilder sb, String prefix, String indent, int depth) {
        if (v instanceof Value.Arr || v instanceof Value.SetV) {
            List<Value> items = new ArrayList<>(v instanceof Value.Arr x ? x.items() : ((Value.SetV) v).items());
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                newline(sb, prefix, indent, depth + 1);
                pretty(items.get(i), sb, prefix, indent, depth + 1);
                if (i < items.size() - 1) {
                    sb.append(',');
                }
            }
            newline(sb, prefix, indent, depth);
            sb.append(']');
        } else if (v instanceof Value.Obj o) {
            if (o.size() == 0) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            int i = 0;
            for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
                newline(sb, prefix, indent, depth + 1);
                Value k = e.getKey() instanceof Value.Str
                        ? e.getKey()
                        : Value.str(e.getKey().toJson());
                sb.append(k.toJson()).append(": ");
                pretty(e.getValue(), sb, prefix, indent, depth + 1);
                if (++i < o.size()) {
                    sb.append(',');
                }
            }
            newline(sb, prefix, indent, depth);
            sb.append('}');
        } else {
            sb.append(v.toJson());
        }
    }

    private static void newline(StringBuilder sb, String prefix, String indent, int depth) {
        sb.append('\n').append(prefix).append(indent.repeat(depth));
    }

    // ---------------------------------------------------------------- YAML

    /** Safe loading: plain data only; timestamps stay strings as in Go's YAML-to-JSON conversion. */
    private static final class PlainConstructor extends SafeConstructor {
        PlainConstructor(LoaderOptions opts) {
            super(opts);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }

    static Value parseYaml(String fn, String s) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true);
        opts.setMaxAliasesForCollections(50);
        opts.setNestingDepthLimit(200);
        opts.setCodePointLimit(10 * 1024 * 1024);
        Yaml yaml = new Yaml(new PlainConstructor(opts));
        Object o;
        try {
            o = yaml.load(s);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("expected (.*), but (?:got|found) .*")
                    .matcher(problem);
            if (m.matches()) {
                problem = "did not find expected " + m.group(1);
            }
            throw BuiltinException.error(fn, "yaml: line " + line + ": " + problem);
        } catch (YAMLException | ClassCastException e) {
            throw BuiltinException.error(fn, "yaml: " + e.getMessage());
        }
        return fromYaml(o);
    }

    private static Value fromYaml(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Value, Value> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(Value.str(yamlKey(k)), fromYaml(v)));
            return Value.object(out);
        }
        if (o instanceof List<?> l) {
            List<Value> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(fromYaml(x)));
            return Value.array(out);
        }
        if (o instanceof java.util.Set<?> set) {
            Map<Value, Value> out = new LinkedHashMap<>();
            set.forEach(x -> out.put(Value.str(yamlKey(x)), Value.NULL));
            return Value.object(out);
        }
        if (o instanceof byte[] b) {
            return Value.str(java.util.Base64.getEncoder().encodeToString(b));
        }
        if (o instanceof Date d) {
            return Value.str(d.toInstant().toString());
        }
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw BuiltinException.error("yaml.unmarshal", "json: unsupported value: " + d);
        }
        if (o instanceof Double d) {
            return Value.num(Numbers.shortest(d));
        }
        return Value.fromJava(o);
    }

    private static String yamlKey(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof String s) {
            return s;
        }
        if (k instanceof Map || k instanceof List) {
            return fromYaml(k).toJson();
        }
        return k.toString();
    }

    // ---------------------------------------------------------------- json.filter / json.remove

    /** Paths given as "a/b/c" strings (with ~0 and ~1 escapes) or as arrays of segments. */
    static List<List<Value>> paths(String fn, Value v) {
        Iterable<Value> items;
        if (v instanceof Value.Arr arr) {
            items = arr;
        } else if (v instanceof Value.SetV set) {
            items = set;
        } else {
            throw Args.typeErr(fn, 1, "one of {set, array}", v);
        }
        List<List<Value>> out = new ArrayList<>();
        for (Value p : items) {
            if (p instanceof Value.Str s) {
                out.add(parsePath(s.value()));
            } else if (p instanceof Value.Arr arr) {
                out.add(arr.items());
            } else {
                throw Args.typeErr(
                        fn,
                        "operand 2 must be one of {set, array} containing string paths or array of path segments but got "
                                + p.typeName());
            }
        }
        return out;
    }

    static List<Value> parsePath(String s) {
        String t = s.replaceFirst("^/+", ""); // Go: strings.TrimLeft(path, "/")
        List<Value> out = new ArrayList<>();
        if (t.isEmpty()) {
            return out;
        }
        for (String seg : t.split("/", -1)) {
            out.add(Value.str(seg.replace("~1", "/").replace("~0", "~")));
        }
        return out;
    }

    /** A path segment matches an object key, an array index written as a number or string, or a set element. */
    static Value step(Value cur, Value seg) {
        if (cur instanceof Value.Arr arr) {
            Integer i = index(seg);
            return i != null && i >= 0 && i < arr.size() ? arr.get(i) : null;
        }
        return Objects.child(cur, seg);
    }

    static Integer index(Value seg) {
        if (seg instanceof Value.Num n) {
            return n.intValueExact();
        }
        if (seg instanceof Value.Str s && s.value().matches("0|[1-9][0-9]{0,8}")) {
            return Integer.parseInt(s.value());
        }
        return null;
    }

    /** Keeps only what lies on one of the paths; a path that is a prefix of another keeps the whole subtree. */
    private static Value filter(Value.Obj o, List<List<Value>> paths) {
        Trie root = new Trie();
        for (List<Value> p : paths) {
            Trie t = root;
            for (Value seg : p) {
                if (t.leaf) {
                    break;
                }
                t = t.children.computeIfAbsent(seg, k -> new Trie());
            }
            t.leaf = true;
            t.children.clear();
        }
        if (root.leaf) {
            return o;
        }
        Value v = filter(o, root);
        return v == null ? Value.EMPTY_OBJECT : v;
    }

    private static final class Trie {
        boolean leaf;
        final TreeMap<Value, Trie> children = new TreeMap<>();
    }

    private static Value filter(Value cur, Trie t) {
        if (t.leaf) {
            return cur;
        }
        if (cur instanceof Value.Obj o) {
            Map<Value, Value> out = new LinkedHashMap<>();
            t.children.forEach((seg, child) -> {
                Value v = o.get(seg);
                if (v == null && !(seg instanceof Value.Str)) {
                    v = o.get(Value.str(seg.toJson()));
                }
                if (v != null) {
                    Value f = filter(v, child);
                    if (f != null) {
                        out.put(o.get(seg) != null ? seg : Value.str(seg.toJson()), f);
                    }
                }
            });
            return Value.object(out);
        }
        if (cur instanceof Value.Arr arr) {
            TreeMap<Integer, Value> picked = new TreeMap<>();
            t.children.forEach((seg, child) -> {
                Integer i = index(seg);
                if (i != null && i >= 0 && i < arr.size()) {
                    Value f = filter(arr.get(i), child);
                    if (f != null) {
                        picked.put(i, f);
                    }
                }
            });
            return Value.array(new ArrayList<>(picked.values()));
        }
        if (cur instanceof Value.SetV s) {
            TreeSet<Value> out = new TreeSet<>();
            t.children.forEach((seg, child) -> {
                if (s.contains(seg)) {
                    Value f = filter(seg, child);
                    if (f != null) {
                        out.add(f);
                    }
                }
            });
            return Value.set(out);
        }
        return null;
    }

    /** Removes the value at the path; missing paths leave the document as it is. */
    private static Value remove(Value cur, List<Value> path, int i) {
        if (i >= path.size()) {
            return cur;
        }
        Value seg = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof Value.Obj o) {
            Value key =
                    o.get(seg) != null ? seg : o.get(Value.str(seg.toJson())) != null ? Value.str(seg.toJson()) : null;
            if (key == null) {
                return cur;
            }
            TreeMap<Value, Value> out = new TreeMap<>(o.entries());
            if (last) {
                out.remove(key);
            } else {
                out.put(key, remove(o.get(key), path, i + 1));
            }
            return Value.object(out);
        }
        if (cur instanceof Value.Arr arr) {
            Integer idx = index(seg);
            if (idx == null || idx < 0 || idx >= arr.size()) {
                return cur;
            }
            List<Value> out = new ArrayList<>(arr.items());
            if (last) {
                out.remove((int) idx);
            } else {
                out.set(idx, remove(arr.get(idx), path, i + 1));
            }
            return Value.array(out);
        }
        if (cur instanceof Value.SetV s) {
            if (!s.contains(seg)) {
                return cur;
            }
            TreeSet<Value> out = new TreeSet<>(s.items());
            out.remove(seg);
            if (!last) {
                out.add(remove(seg, path, i + 1));
            }
            return Value.set(out);
        }
        return cur;
    }
}
