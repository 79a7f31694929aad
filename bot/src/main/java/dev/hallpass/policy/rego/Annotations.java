package dev.hallpass.policy.rego;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code # METADATA} blocks: YAML in comments, applied to the package or rule that follows (or to the
 * document, package or subpackages their {@code scope} names). They feed {@code rego.metadata.rule()} and
 * {@code rego.metadata.chain()}, which the compiler replaces by constants since the rule is known there.
 */
final class Annotations {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of(
            "scope",
            "title",
            "description",
            "related_resources",
            "authors",
            "organizations",
            "schemas",
            "entrypoint",
            "custom",
            "labels",
            "compile");

    private final Map<Ast.Rule, Value> rules = new IdentityHashMap<>();
    private final Map<List<String>, Value> documents = new HashMap<>();
    private final Map<List<String>, Value> packages = new HashMap<>();
    private final Map<List<String>, Value> subpackages = new HashMap<>();

    static Annotations of(List<Ast.RegoModule> modules) {
        Annotations a = new Annotations();
        modules.forEach(a::read);
        return a;
    }

    private void read(Ast.RegoModule m) {
        List<Ast.Comment> cs = m.comments();
        for (int i = 0; i < cs.size(); i++) {
            if (!cs.get(i).text().strip().equals("METADATA")) {
                continue;
            }
            Ast.Loc at = cs.get(i).loc();
            StringBuilder yaml = new StringBuilder();
            int last = at.row();
            int j = i + 1;
            while (j < cs.size() && cs.get(j).loc().row() == last + 1) {
                String t = cs.get(j).text();
                yaml.append(t.startsWith(" ") ? t.substring(1) : t).append('\n');
                last = cs.get(j).loc().row();
                j++;
            }
            i = j - 1;
            Map<String, Object> parsed = parse(yaml.toString(), at);
            // The statement that follows the block: the package or the first rule after it.
            Ast.Rule target = null;
            for (Ast.Rule r : m.rules()) {
                if (r.loc().row() > last
                        && (target == null || r.loc().row() < target.loc().row())) {
                    target = r;
                }
            }
            boolean beforePackage = m.pkgLoc() != null
                    && m.pkgLoc().row() > last
                    && (target == null || m.pkgLoc().row() < target.loc().row());
            Object scope = parsed.get("scope");
            if (scope == null) {
                scope = beforePackage ? "package" : Boolean.TRUE.equals(parsed.get("entrypoint")) ? "document" : "rule";
                parsed.put("scope", scope);
            }
            Value v = Value.fromJava(parsed);
            switch (String.valueOf(scope)) {
                case "package" -> put(packages, m.pkg(), v);
                case "subpackages" -> put(subpackages, m.pkg(), v);
                case "rule", "document" -> {
                    if (target == null || beforePackage) {
                        throw RegoException.compile(
                                "rego_parse_error", "annotation scope '" + scope + "' must be applied to rule", at);
                    }
                    if (scope.equals("rule")) {
                        if (Boolean.TRUE.equals(parsed.get("entrypoint"))) {
                            throw RegoException.compile(
                                    "rego_parse_error", "rule scope cannot be applied to an entrypoint", at);
                        }
                        rules.put(target, v);
                    } else {
                        put(documents, rulePath(m.pkg(), target), v);
                    }
                }
                default -> throw RegoException.compile(
                        "rego_parse_error", "invalid annotation scope '" + scope + "'", at);
            }
        }
    }

    /**
     * The first block for a path wins: the shipped policies, like many, repeat a package-level block in
     * each file of a package, which OPA accepts.
     */
    private static void put(Map<List<String>, Value> into, List<String> path, Value v) {
        into.putIfAbsent(path, v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml, Ast.Loc at) {
        Object o;
        try {
            o = yaml.isBlank() ? Map.of() : YAML.readValue(yaml, Object.class);
        } catch (java.io.IOException e) {
            throw RegoException.compile("rego_parse_error", "yaml: " + e.getMessage(), at);
        }
        if (!(o instanceof Map<?, ?> map)) {
            throw RegoException.compile("rego_parse_error", "METADATA block must be a YAML mapping", at);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : ((Map<String, Object>) map).entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw RegoException.compile("rego_parse_error", "invalid annotation key '" + e.getKey() + "'", at);
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** {@code ["data", pkg..., head...]} as strings; a non-string head part stops the path. */
    static List<String> rulePath(List<String> pkg, Ast.Rule r) {
        List<String> p = new ArrayList<>(pkg);
        for (Ast.Term t : r.head()) {
            if (t instanceof Ast.Scalar s && s.value() instanceof Value.Str str) {
                p.add(str.value());
            } else {
                break;
            }
        }
        return p;
    }

    /** rego.metadata.rule(): the rule's own annotations, else its document's, else {}. */
    Value rule(List<String> pkg, Ast.Rule r) {
        Value v = rules.get(r);
        if (v == null) {
            v = documents.get(rulePath(pkg, r));
        }
        return v == null ? Value.EMPTY_OBJECT : v;
    }

    /** rego.metadata.chain(): the rule, then its document, package and enclosing packages outward. */
    Value chain(List<String> pkg, Ast.Rule r) {
        List<Value> out = new ArrayList<>();
        List<String> path = rulePath(pkg, r);
        Value own = rules.get(r);
        Value doc = documents.get(path);
        out.add(entry(path, own != null ? own : doc));
        if (own != null && doc != null) {
            out.add(entry(path, doc));
        }
        if (packages.containsKey(pkg)) {
            out.add(entry(pkg, packages.get(pkg)));
        }
        for (int n = pkg.size(); n >= 1; n--) {
            List<String> p = pkg.subList(0, n);
            if (subpackages.containsKey(p)) {
                out.add(entry(p, subpackages.get(p)));
            }
        }
        return Value.array(out);
    }

    private static Value entry(List<String> path, Value annotations) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> p = new ArrayList<>();
        p.add("data");
        p.addAll(path);
        m.put("path", p);
        if (annotations != null) {
            m.put("annotations", annotations);
        }
        return Value.fromJava(m);
    }
}
