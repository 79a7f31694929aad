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
