package dev.hallpass.policy.rego;

import java.util.List;

/** The abstract syntax tree of Rego modules and queries. */
public final class Ast {
    private Ast() {}

    /** A source location; row and col are 1-based. */
    public record Loc(String file, int row, int col) {
        @Override
        public String toString() {
            return file + ":" + row + ":" + col;
        }
    }

    /** A term: scalar, variable, reference, composite, comprehension or call. */
    public sealed interface Term
            permits Scalar, Var, Ref, ArrayT, ObjectT, SetT, ArrayCompr, SetCompr, ObjectCompr, Call {
        Loc loc();
    }

    public record Scalar(Value value, Loc loc) implements Term {}

    /** A variable. The roots {@code data} and {@code input} are variables named so. */
    public record Var(String name, Loc loc) implements Term {}

    /** {@code head.path...}; names after dots are string scalars. */
    public record Ref(Term head, List<Term> path, Loc loc) implements Term {}

    public record ArrayT(List<Term> items, Loc loc) implements Term {}

    public record ObjectT(List<Term> keys, List<Term> values, Loc loc) implements Term {}

    public record SetT(List<Term> items, Loc loc) implements Term {}

    public record ArrayCompr(Term head, List<Expr> body, Loc loc) implements Term {}

    public record SetCompr(Term head, List<Expr> body, Loc loc) implements Term {}

    public record ObjectCompr(Term key, Term value, List<Expr> body, Loc loc) implements Term {}

    /** A call of a built-in or function; {@code name} is dotted ({@code time.now_ns}, {@code data.a.f}). */
    public record Call(String name, List<Term> args, Loc loc) implements Term {}

    /** What an expression does. */
    public sealed interface Node permits TermExpr, Unify, Assign, SomeDecl, SomeIn, Every, NotBody {}

    public record TermExpr(Term term) implements Node {}

    public record Unify(Term left, Term right) implements Node {}

    public record Assign(Term left, Term right) implements Node {}

    public record SomeDecl(List<Var> vars) implements Node {}

    /** {@code some key, value in collection}; key may be null. */
    public record SomeIn(Term key, Term value, Term collection) implements Node {}

    /** {@code every key, value in domain { body }}; key may be null. */
    public record Every(Term key, Term value, Term domain, List<Expr> body) implements Node {}

    /** {@code not { body }} (future.keywords.not). */
    public record NotBody(List<Expr> body) implements Node {}

    public record With(Term target, Term value, Loc loc) {}

    /** One literal of a body. */
    public record Expr(Node node, boolean negated, List<With> withs, Loc loc) {
        public Expr withNode(Node n) {
            return new Expr(n, negated, withs, loc);
        }
    }

    public enum RuleKind {
        /** {@code p := v}, {@code p[k] := v}, {@code p.q[r].s := v}. */
        VALUE,
        /** {@code p contains x}, {@code p[q] contains x}. */
        CONTAINS,
        /** {@code f(x) := v}. */
        FUNCTION
    }

    /**
     * A rule. {@code head} is the rule's ref relative to its package ({@code p}, {@code p.q[r]}) as a list of
     * terms, the first a string scalar. {@code value} is the head value (or the element for CONTAINS).
     */
    public record Rule(
            Loc loc,
            RuleKind kind,
            List<Term> head,
            List<Term> args,
            Term value,
            boolean isDefault,
            boolean assign,
            List<Expr> body,
            Rule elseRule) {}

    public record Import(List<Term> path, String alias, Loc loc) {}

    /** A comment's text (without the leading {@code #}) and where it starts. */
    public record Comment(String text, Loc loc) {}

    public record RegoModule(
            String file,
            List<String> pkg,
            Loc pkgLoc,
            List<Import> imports,
            List<Rule> rules,
            List<Comment> comments,
            boolean notBodies) {}
}
