package dev.hallpass.policy.rego;

import dev.hallpass.policy.rego.Ast.*;
import dev.hallpass.policy.rego.Lexer.Kind;
import dev.hallpass.policy.rego.Lexer.Token;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent parser for Rego v1 modules, queries and terms. */
public final class Parser {
    private final String file;
    private final List<Token> toks;
    private final List<Ast.Comment> comments;
    private int p;
    private boolean notBodies;
    private List<Span> spans;
    private String source;

    /** The source text and position of one query expression. */
    public record Span(String text, int row, int col) {}

    /** The text of each top-level expression of a query, for {@code opa eval}-style output. */
    public static List<Span> querySpans(String src) {
        Parser ps = new Parser("query", src);
        ps.spans = new ArrayList<>();
        ps.source = src;
        ps.body(null);
        return ps.spans;
    }

    private Parser(String file, String src) {
        this.file = file;
        Lexer lx = new Lexer(file, src);
        this.toks = lx.tokenize();
        this.comments = lx.comments;
        this.templates = lx.templates;
    }

    private final java.util.Map<Integer, List<Lexer.TemplatePart>> templates;

    /** Name of the call a template string becomes; the evaluator renders its arguments, undefined or not. */
    static final String TEMPLATE_STRING = "internal.template_string";

    /**
     * {@code $"a {x} b"} becomes {@code internal.template_string("a ", x, " b")}. Each expression is parsed
     * from source padded to its place in the file, so that its locations are right.
     */
    private Term template(Token t, Loc l) {
        List<Term> args = new ArrayList<>();
        for (Lexer.TemplatePart p : templates.get(t.start())) {
            if (!p.expr()) {
                args.add(new Scalar(Value.str(p.text()), l));
                continue;
            }
            String padded = "\n".repeat(p.row() - 1) + " ".repeat(p.col() - 1) + p.text();
            Parser sub = new Parser(file, padded);
            Term e = sub.parseIn(false, true);
            if (sub.tok().kind() != Kind.EOF) {
                throw sub.err("unexpected " + sub.tok().text() + " in template expression", sub.tok());
            }
            args.add(e);
        }
        return new Call(TEMPLATE_STRING, List.copyOf(args), l);
    }

    /** Parses a module. */
    public static RegoModule parseModule(String file, String src) {
        return new Parser(file, src).module();
    }

    /** Parses a query (a body). */
    public static List<Expr> parseQuery(String src) {
        Parser ps = new Parser("query", src);
        List<Expr> body = ps.body(null);
        if (body.isEmpty()) {
            throw ps.err("empty query", ps.tok());
        }
        return body;
    }

    /** Parses one term (as used for {@code input_term}). */
    public static Term parseTerm(String src) {
        Parser ps = new Parser("term", src);
        Term t = ps.parseIn(false, true);
        if (ps.tok().kind() != Kind.EOF) {
            throw ps.err("unexpected " + ps.tok().text(), ps.tok());
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------

    private Token tok() {
        return toks.get(p);
    }

    private Token peek(int n) {
        return toks.get(Math.min(p + n, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(p);
        if (p < toks.size() - 1) {
            p++;
        }
        return t;
    }

    private Loc loc(Token t) {
        return new Loc(file, t.row(), t.col());
    }

    private RegoException err(String msg, Token t) {
        return RegoException.compile("rego_parse_error", msg, loc(t));
    }

    private Token expect(String op) {
        Token t = tok();
        if (!t.is(op)) {
            throw err("expected " + op + " but found " + (t.kind() == Kind.EOF ? "EOF" : t.text()), t);
        }
        return next();
    }

    private void expectKw(String kw) {
        if (!tok().isKw(kw)) {
            throw err("expected " + kw + " but found " + tok().text(), tok());
        }
        next();
    }

    // ---------------------------------------------------------------------------------- module

    private RegoModule module() {
        Token pk = tok();
        if (!pk.isKw("package")) {
            throw err("package expected", pk);
        }
        next();
        List<String> pkg = new ArrayList<>();
        for (Term t : refToList(primary(), pk)) {
            if (t instanceof Var v) {
                pkg.add(v.name());
                continue;
            }
            if (!(t instanceof Scalar s && s.value() instanceof Value.Str str)) {
                throw err("invalid package path", pk);
            }
            pkg.add(str.value());
        }
        List<Import> imports = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        while (tok().kind() != Kind.EOF) {
            Token t = tok();
            if (t.isKw("import")) {
                next();
                Term target = primary();
                List<Term> path = refToList(target, t);
                String alias = null;
                if (tok().isKw("as")) {
                    next();
                    Token a = next();
                    if (a.kind() != Kind.IDENT) {
                        throw err("expected alias name", a);
                    }
                    alias = a.text();
                }
                if (path.size() >= 3
                        && path.get(0) instanceof Var fv
                        && fv.name().equals("future")
                        && path.get(1) instanceof Scalar s1
                        && s1.value().equals(Value.str("keywords"))
                        && path.get(2) instanceof Scalar s2
                        && s2.value().equals(Value.str("not"))) {
                    notBodies = true;
                }
                imports.add(new Import(path, alias, loc(t)));
            } else if (t.isKw("default")) {
                next();
                rules.add(rule(true));
            } else {
                rules.add(rule(false));
            }
        }
        return new RegoModule(file, List.copyOf(pkg), loc(pk), imports, rules, comments, notBodies);
    }

    /** Flattens a ref term into [head var, key terms...]; a var alone gives [var]. */
    private List<Term> refToList(Term t, Token at) {
        List<Term> out = new ArrayList<>();
        if (t instanceof Var v) {
            out.add(v);
        } else if (t instanceof Ref r && r.head() instanceof Var) {
            out.add(r.head());
            out.addAll(r.path());
        } else {
            throw err("expected a reference", at);
        }
        return out;
    }

    private Rule rule(boolean isDefault) {
        Token start = tok();
        if (start.kind() != Kind.IDENT) {
            throw err("unexpected " + start.text() + ": expected a rule", start);
        }
        Term headTerm = primary();
        List<Term> head;
        List<Term> args = null;
        if (headTerm instanceof Call c) {
            head = new ArrayList<>();
            for (String part : c.name().split("\\.")) {
                head.add(new Scalar(Value.str(part), c.loc()));
            }
            args = c.args();
        } else {
            List<Term> l = refToList(headTerm, start);
            head = new ArrayList<>();
            head.add(new Scalar(Value.str(((Var) l.get(0)).name()), l.get(0).loc()));
            head.addAll(l.subList(1, l.size()));
        }
        RuleKind kind = args != null ? RuleKind.FUNCTION : RuleKind.VALUE;
        Term value = null;
        boolean assign = false;
        if (tok().isKw("contains") && args == null) {
            next();
            kind = RuleKind.CONTAINS;
            value = parseIn(false, true);
        } else if (tok().is(":=") || tok().is("=")) {
            assign = next().is(":=");
            value = parseIn(false, true);
        }
        if (value == null) {
            value = new Scalar(Value.TRUE, loc(start));
        }
        List<Expr> body = List.of();
        if (!isDefault) {
            body = ruleBody();
        }
        Rule elseRule = null;
        if (tok().isKw("else")) {
            elseRule = elseChain(kind, head, args);
        }
        return new Rule(loc(start), kind, List.copyOf(head), args, value, isDefault, assign, body, elseRule);
    }

    private List<Expr> ruleBody() {
        if (tok().isKw("if")) {
            next();
            if (tok().is("{")) {
                int save = p;
                next();
                try {
                    return body("}");
                } catch (RegoException e) {
                    p = save;
                }
            }
            List<Expr> b = new ArrayList<>();
            b.add(literal());
            return b;
        }
        if (tok().is("{") && !tok().nl()) {
            throw err("`if` keyword is required before rule body", tok());
        }
        return List.of();
    }

    private Rule elseChain(RuleKind kind, List<Term> head, List<Term> args) {
        Token e = next(); // else
        Term value = null;
        boolean assign = false;
        if (tok().is(":=") || tok().is("=")) {
            assign = next().is(":=");
            value = parseIn(false, true);
        }
        if (value == null) {
            value = new Scalar(Value.TRUE, loc(e));
        }
        List<Expr> body = ruleBody();
        Rule elseRule = null;
        if (tok().isKw("else")) {
            elseRule = elseChain(kind, head, args);
        }
        return new Rule(loc(e), kind, head, args, value, false, assign, body, elseRule);
    }

    // ---------------------------------------------------------------------------------- bodies

    private boolean atBodyEnd(String end) {
        Token t = tok();
        return t.kind() == Kind.EOF || (end != null && t.is(end));
    }

    private List<Expr> body(String end) {
        List<Expr> out = new ArrayList<>();
        while (true) {
            while (tok().is(";")) {
                next();
            }
            if (atBodyEnd(end)) {
                break;
            }
            Token first = tok();
            out.add(literal());
            if (spans != null && end == null) {
                spans.add(
                        new Span(source.substring(first.start(), toks.get(p - 1).end()), first.row(), first.col()));
            }
            if (tok().is(";")) {
                continue;
            }
            if (atBodyEnd(end)) {
                break;
            }
            if (!tok().nl()) {
                throw err(
                        "unexpected " + tok().text() + " token: expected \\n or ; or " + (end == null ? "EOF" : end),
                        tok());
            }
        }
        if (end != null) {
            expect(end);
        } else if (tok().kind() != Kind.EOF) {
            throw err("unexpected " + tok().text(), tok());
        }
        return out;
    }

    private Expr literal() {
        Token start = tok();
        boolean negated = false;
        Node node;
        if (start.isKw("some")) {
            next();
            node = some(start);
        } else if (start.isKw("every")) {
            next();
            node = every();
        } else {
            if (start.isKw("not")) {
                next();
                negated = true;
            }
            if (negated && tok().is("{")) {
                next();
                node = new NotBody(body("}"));
                negated = false;
            } else {
                node = exprNode();
            }
        }
        List<With> withs = new ArrayList<>();
        while (tok().isKw("with")) {
            Token w = next();
            Term target = primary();
            expectKw("as");
            Term value = parseIn(false, true);
            withs.add(new With(target, value, loc(w)));
        }
        return new Expr(node, negated, withs, loc(start));
    }

    private Node some(Token start) {
        Term first = relation(true);
        Term second = null;
        if (tok().is(",")) {
            int save = p;
            next();
            second = relation(true);
            if (!tok().isKw("in")) {
                p = save;
                second = null;
            }
        }
        if (tok().isKw("in")) {
            next();
            Term coll = relation(true);
            return second == null ? new SomeIn(null, first, coll) : new SomeIn(first, second, coll);
        }
        List<Var> vars = new ArrayList<>();
        if (!(first instanceof Var v0)) {
            throw err("expected var in some declaration", start);
        }
        vars.add(v0);
        while (tok().is(",")) {
            next();
            Term t = primary();
            if (!(t instanceof Var v)) {
                throw err("expected var in some declaration", start);
            }
            vars.add(v);
        }
        return new SomeDecl(vars);
    }

    private Node every() {
        Term first = primary();
        Term second = null;
        if (tok().is(",")) {
            next();
            second = primary();
        }
        expectKw("in");
        Term domain = relation(true);
        expect("{");
        List<Expr> b = body("}");
        return second == null ? new Every(null, first, domain, b) : new Every(first, second, domain, b);
    }

    private Node exprNode() {
        Term lhs = parseIn(true, true);
        if (tok().is(":=")) {
            next();
            return new Assign(lhs, parseIn(true, true));
        }
        if (tok().is("=")) {
            next();
            return new Unify(lhs, parseIn(true, true));
        }
        return new TermExpr(lhs);
    }

    // ---------------------------------------------------------------------------------- terms

    private boolean opHere(String op) {
        Token t = tok();
        return t.is(op) && !(t.nl() && op.equals("-"));
    }

    private Term parseIn(boolean keyVal, boolean allowOr) {
        Term lhs = relation(allowOr);
        if (keyVal && tok().is(",")) {
            int save = p;
            next();
            if (tok().kind() != Kind.EOF) {
                Term mhs = relation(allowOr);
                if (tok().isKw("in")) {
                    Token in = next();
                    Term rhs = relation(allowOr);
                    lhs = new Call("internal.member_3", List.of(lhs, mhs, rhs), loc(in));
                    while (tok().isKw("in")) {
                        next();
                        lhs = new Call("internal.member_2", List.of(lhs, relation(allowOr)), lhs.loc());
                    }
                    return lhs;
                }
            }
            p = save;
        }
        while (tok().isKw("in")) {
            Token in = next();
            Term rhs = relation(allowOr);
            lhs = new Call("internal.member_2", List.of(lhs, rhs), lhs.loc());
        }
        return lhs;
    }

    private static final String[][] REL = {
        {"==", "equal"}, {"!=", "neq"}, {"<", "lt"}, {"<=", "lte"}, {">", "gt"}, {">=", "gte"}
    };

    private Term relation(boolean allowOr) {
        Term lhs = or(allowOr);
        outer:
        while (true) {
            for (String[] op : REL) {
                if (opHere(op[0])) {
                    next();
                    lhs = new Call(op[1], List.of(lhs, or(allowOr)), lhs.loc());
                    continue outer;
                }
            }
            return lhs;
        }
    }

    private Term or(boolean allowOr) {
        Term lhs = and(allowOr);
        while (allowOr && opHere("|")) {
            next();
            lhs = new Call("or", List.of(lhs, and(allowOr)), lhs.loc());
        }
        return lhs;
    }

    private Term and(boolean allowOr) {
        Term lhs = arith();
        while (opHere("&")) {
            next();
            lhs = new Call("and", List.of(lhs, arith()), lhs.loc());
        }
        return lhs;
    }

    private Term arith() {
        Term lhs = factor();
        while (true) {
            if (opHere("+")) {
                next();
                lhs = new Call("plus", List.of(lhs, factor()), lhs.loc());
            } else if (opHere("-")) {
                next();
                lhs = new Call("minus", List.of(lhs, factor()), lhs.loc());
            } else {
                return lhs;
            }
        }
    }

    private Term factor() {
        Term lhs = primary();
        while (true) {
            String name;
            if (opHere("*")) {
                name = "mul";
            } else if (opHere("/")) {
                name = "div";
            } else if (opHere("%")) {
                name = "rem";
            } else {
                return lhs;
            }
            next();
            lhs = new Call(name, List.of(lhs, primary()), lhs.loc());
        }
    }

    private Term primary() {
        Token t = tok();
        Loc l = loc(t);
        Term base;
        switch (t.kind()) {
            case NUMBER -> {
                next();
                base = new Scalar(number(t.text(), t), l);
            }
            case STRING -> {
                next();
                base = new Scalar(Value.str(t.text()), l);
            }
            case TEMPLATE -> {
                next();
                base = template(t, l);
            }
            case IDENT -> {
                if (t.kw()
                        && !(peek(1).is("(")
                                && peek(1).start() == t.end()
                                && !t.text().equals("not"))) {
                    switch (t.text()) {
                        case "true" -> {
                            next();
                            return new Scalar(Value.TRUE, l);
                        }
                        case "false" -> {
                            next();
                            return new Scalar(Value.FALSE, l);
                        }
                        case "null" -> {
                            next();
                            return new Scalar(Value.NULL, l);
                        }
                        default -> throw err("unexpected " + t.text() + " keyword", t);
                    }
                }
                next();
                if (t.text().equals("set") && tok().is("(") && !tok().nl() && peek(1).is(")")) {
                    next();
                    next();
                    base = new SetT(List.of(), l);
                } else {
                    base = new Var(t.text(), l);
                }
            }
            case OP -> {
                switch (t.text()) {
                    case "[" -> {
                        next();
                        base = array(l);
                    }
                    case "{" -> {
                        next();
                        base = objectOrSet(l);
                    }
                    case "(" -> {
                        next();
                        base = parseIn(true, true);
                        expect(")");
                    }
                    case "-" -> {
                        next();
                        Token n = tok();
                        if (n.kind() == Kind.NUMBER && n.start() == t.end()) {
                            next();
                            base = new Scalar(number("-" + n.text(), n), l);
                        } else {
                            Term operand = primary();
                            return new Call("minus", List.of(new Scalar(Value.num(0), l), operand), l);
                        }
                    }
                    default -> throw err("unexpected " + t.text() + " token", t);
                }
            }
            default -> throw err("unexpected EOF", t);
        }
        return suffixes(base, l);
    }

    private Value number(String text, Token t) {
        try {
            return Value.num(text);
        } catch (NumberFormatException e) {
            throw err("invalid number " + text, t);
        }
    }

    private Term suffixes(Term base, Loc l) {
        List<Term> path = new ArrayList<>();
        Term head = base;
        while (true) {
            Token t = tok();
            if (t.nl()) {
                break;
            }
            if (t.is(".")) {
                next();
                Token n = next();
                if (n.kind() != Kind.IDENT) {
                    throw err("expected name after .", n);
                }
                path.add(new Scalar(Value.str(n.text()), loc(n)));
            } else if (t.is("[")) {
                next();
                path.add(parseIn(false, true));
                expect("]");
            } else if (t.is("(")) {
                String name = callName(head, path);
                if (name == null) {
                    break;
                }
                next();
                List<Term> args = new ArrayList<>();
                while (!tok().is(")")) {
                    args.add(parseIn(false, true));
                    if (tok().is(",")) {
                        next();
                    } else if (!tok().is(")")) {
                        throw err("expected , or ) in call", tok());
                    }
                }
                next();
                head = new Call(name, args, l);
                path = new ArrayList<>();
            } else {
                break;
            }
        }
        return path.isEmpty() ? head : new Ref(head, List.copyOf(path), l);
    }

    private static String callName(Term head, List<Term> path) {
        if (!(head instanceof Var v)) {
            return null;
        }
        StringBuilder sb = new StringBuilder(v.name());
        for (Term t : path) {
            if (!(t instanceof Scalar s && s.value() instanceof Value.Str str)) {
                return null;
            }
            sb.append('.').append(str.value());
        }
        return sb.toString();
    }

    private Term array(Loc l) {
        if (tok().is("]")) {
            next();
            return new ArrayT(List.of(), l);
        }
        Term first = parseIn(false, false);
        if (tok().is("|")) {
            next();
            return new ArrayCompr(first, body("]"), l);
        }
        List<Term> items = new ArrayList<>();
        items.add(first);
        while (tok().is(",")) {
            next();
            if (tok().is("]")) {
                break;
            }
            items.add(parseIn(false, true));
        }
        expect("]");
        return new ArrayT(items, l);
    }

    private Term objectOrSet(Loc l) {
        if (tok().is("}")) {
            next();
            return new ObjectT(List.of(), List.of(), l);
        }
        Term first = parseIn(false, false);
        if (tok().is(":")) {
            next();
            Term v = parseIn(false, false);
            if (tok().is("|")) {
                next();
                return new ObjectCompr(first, v, body("}"), l);
            }
            List<Term> keys = new ArrayList<>();
            List<Term> vals = new ArrayList<>();
            keys.add(first);
            vals.add(v);
            while (tok().is(",")) {
                next();
                if (tok().is("}")) {
                    break;
                }
                keys.add(parseIn(false, true));
                expect(":");
                vals.add(parseIn(false, true));
            }
            expect("}");
            return new ObjectT(keys, vals, l);
        }
        if (tok().is("|")) {
            next();
            return new SetCompr(first, body("}"), l);
        }
        List<Term> items = new ArrayList<>();
        items.add(first);
        while (tok().is(",")) {
            next();
            if (tok().is("}")) {
                break;
            }
            items.add(parseIn(false, true));
        }
        expect("}");
        return new SetT(items, l);
    }
}
