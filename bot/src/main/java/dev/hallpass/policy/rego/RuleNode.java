package dev.hallpass.policy.rego;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node of the tree of virtual documents under {@code data}: a package, a rule or a ref-head prefix. */
final class RuleNode {
    final List<String> path;
    final Map<String, RuleNode> children = new LinkedHashMap<>();
    /** Rules whose ground head prefix ends here (complete, partial set/object, general ref heads). */
    final List<CRule> rules = new ArrayList<>();
    /** Function definitions at this path. */
    final List<CRule> functions = new ArrayList<>();

    /**
     * Equality index over {@link #rules}, or null: the input path most rules test first with {@code
     * input.x == "const"} (or {@code =}), so that evaluation tries only the rules whose constant matches.
     */
    List<String> indexPath;
    /** Per constant, the rules that test it plus the unindexed ones, in source order. */
    Map<Value, List<CRule>> indexed;
    /** The rules that do not test the index path, in source order: all that can match another value. */
    List<CRule> unindexed;

    CRule defaultRule;
    boolean isPackage;
    CRule defaultFunction;
    int arity = -1;

    RuleNode(List<String> path) {
        this.path = path;
    }

    RuleNode child(String key) {
        return children.computeIfAbsent(key, k -> {
            List<String> p = new ArrayList<>(path);
            p.add(k);
            return new RuleNode(List.copyOf(p));
        });
    }

    boolean hasRules() {
        return !rules.isEmpty() || defaultRule != null;
    }

    boolean isFunction() {
        return !functions.isEmpty() || defaultFunction != null;
    }

    String name() {
        return "data." + String.join(".", path);
    }

    /** The rules that can succeed for this input; all of them when the node has no index. */
    List<CRule> candidates(Value input) {
        if (indexPath == null) {
            return rules;
        }
        Value v = input;
        for (String k : indexPath) {
            v = v instanceof Value.Obj o ? o.get(k) : null;
        }
        List<CRule> hit = v == null ? null : indexed.get(v);
        return hit != null ? hit : unindexed;
    }

    /** Builds the equality index when enough rules share a first {@code input.path == const} test. */
    void buildIndex() {
        if (rules.size() >= 8) {
            Map<List<String>, Integer> counts = new java.util.HashMap<>();
            for (CRule r : rules) {
                Object[] t = equalityTest(r);
                if (t != null) {
                    counts.merge(castPath(t[0]), 1, Integer::sum);
                }
            }
            List<String> best = null;
            int bestCount = 1;
            for (var e : counts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best != null) {
                Map<Value, List<Integer>> positions = new java.util.TreeMap<>();
                List<Integer> rest = new ArrayList<>();
                for (int i = 0; i < rules.size(); i++) {
                    Object[] t = equalityTest(rules.get(i));
                    if (t != null && castPath(t[0]).equals(best)) {
                        positions
                                .computeIfAbsent((Value) t[1], k -> new ArrayList<>())
                                .add(i);
                    } else {
                        rest.add(i);
                    }
                }
                Map<Value, List<CRule>> idx = new java.util.TreeMap<>();
                for (var e : positions.entrySet()) {
                    java.util.TreeSet<Integer> all = new java.util.TreeSet<>(e.getValue());
                    all.addAll(rest);
                    List<CRule> l = new ArrayList<>(all.size());
                    all.forEach(i -> l.add(rules.get(i)));
                    idx.put(e.getKey(), List.copyOf(l));
                }
                List<CRule> un = new ArrayList<>();
                rest.forEach(i -> un.add(rules.get(i)));
                indexPath = best;
                indexed = idx;
                unindexed = List.copyOf(un);
            }
        }
        children.values().forEach(RuleNode::buildIndex);
    }

    @SuppressWarnings("unchecked")
    private static List<String> castPath(Object o) {
        return (List<String>) o;
    }

    /** {path, constant} when the rule's first body expression is {@code input.path == constant}. */
    private static Object[] equalityTest(CRule r) {
        if (r.body.isEmpty() || r.elseRule != null) {
            return null;
        }
        Ast.Expr e = r.body.get(0);
        if (e.negated() || !e.withs().isEmpty()) {
            return null;
        }
        Ast.Term a;
        Ast.Term b;
        if (e.node() instanceof Ast.Unify u) {
            a = u.left();
            b = u.right();
        } else if (e.node() instanceof Ast.TermExpr te
                && te.term() instanceof Ast.Call c
                && c.name().equals("equal")
                && c.args() != null
                && c.args().size() == 2) {
            a = c.args().get(0);
            b = c.args().get(1);
        } else {
            return null;
        }
        if (b instanceof Ast.Ref) {
            Ast.Term t = a;
            a = b;
            b = t;
        }
        if (!(a instanceof Ast.Ref ref
                && ref.head() instanceof Ast.Var v
                && v.name().equals("input")
                && b instanceof Ast.Scalar s)) {
            return null;
        }
        List<String> path = new ArrayList<>();
        for (Ast.Term p : ref.path()) {
            if (!(p instanceof Ast.Scalar ps && ps.value() instanceof Value.Str str)) {
                return null;
            }
            path.add(str.value());
        }
        return new Object[] {List.copyOf(path), s.value()};
    }

    /** Whether this node or any descendant defines rules. */
    boolean hasAnyRules() {
        if (hasRules() || isFunction()) {
            return true;
        }
        for (RuleNode c : children.values()) {
            if (c.hasAnyRules()) {
                return true;
            }
        }
        return false;
    }

    /** A compiled rule: its head split at the ground prefix, and its body ordered for safety. */
    static final class CRule {
        final Ast.Rule src;
        final Ast.RuleKind kind;
        final List<Ast.Term> suffix;
        final List<Ast.Term> args;
        final Ast.Term value;
        final List<Ast.Expr> body;
        final CRule elseRule;
        final boolean isDefault;

        CRule(
                Ast.Rule src,
                Ast.RuleKind kind,
                List<Ast.Term> suffix,
                List<Ast.Term> args,
                Ast.Term value,
                List<Ast.Expr> body,
                CRule elseRule,
                boolean isDefault) {
            this.src = src;
            this.kind = kind;
            this.suffix = suffix;
            this.args = args;
            this.value = value;
            this.body = body;
            this.elseRule = elseRule;
            this.isDefault = isDefault;
        }
    }
}
