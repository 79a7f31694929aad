package dev.hallpass.policy.rego;

import dev.hallpass.policy.rego.Ast.*;
import dev.hallpass.policy.rego.RuleNode.CRule;
import dev.hallpass.policy.rego.builtins.Builtins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and compiles Rego modules into an immutable {@link PolicySet}.
 *
 * <pre>{@code
 * PolicySet ps = new RegoCompiler().addModule("policy.rego", src).compile();
 * }</pre>
 */
public final class RegoCompiler {
    static final Builtin MEMBER_2 =
            Builtin.function("internal.member_2", 2, (ctx, a) -> Value.bool(member(a.get(0), a.get(1))));
    static final Builtin MEMBER_3 = Builtin.function("internal.member_3", 3, (ctx, a) -> {
        Value k = a.get(0);
        Value coll = a.get(2);
        Value got = null;
        if (coll instanceof Value.Arr arr && k instanceof Value.Num n && n.intValueExact() != null) {
            int i = n.intValueExact();
            got = i >= 0 && i < arr.size() ? arr.get(i) : null;
        } else if (coll instanceof Value.Obj o) {
            got = o.get(k);
        } else if (coll instanceof Value.SetV s) {
            got = s.contains(k) ? k : null;
        }
        return Value.bool(got != null && got.equals(a.get(1)));
    });

    private static boolean member(Value x, Value coll) {
        if (coll instanceof Value.Arr a) {
            return a.items().contains(x);
        }
        if (coll instanceof Value.SetV s) {
            return s.contains(x);
        }
        if (coll instanceof Value.Obj o) {
            return o.entries().containsValue(x);
        }
        return false;
    }

    /** The code of the compile error for a call of a built-in that is declared but not implemented. */
    public static final String UNSUPPORTED_BUILTIN = "rego_unsupported_builtin_error";

    private static final String ANY_COLLECTION = "array|object|set";

    /** Argument types of common built-ins, for {@code checkConstantTypes}: alternatives joined by |. */
    static final Map<String, String[]> CONSTANT_TYPES = Map.ofEntries(
            Map.entry("plus", new String[] {"number", "number"}),
            Map.entry("mul", new String[] {"number", "number"}),
            Map.entry("div", new String[] {"number", "number"}),
            Map.entry("rem", new String[] {"number", "number"}),
            Map.entry("minus", new String[] {"number|set", "number|set"}),
            Map.entry("and", new String[] {"set", "set"}),
            Map.entry("or", new String[] {"set", "set"}),
            Map.entry("abs", new String[] {"number"}),
            Map.entry("round", new String[] {"number"}),
            Map.entry("ceil", new String[] {"number"}),
            Map.entry("floor", new String[] {"number"}),
            Map.entry("count", new String[] {"string|" + ANY_COLLECTION}),
            Map.entry("sum", new String[] {"array|set"}),
            Map.entry("product", new String[] {"array|set"}),
            Map.entry("max", new String[] {"array|set"}),
            Map.entry("min", new String[] {"array|set"}),
            Map.entry("upper", new String[] {"string"}),
            Map.entry("lower", new String[] {"string"}),
            Map.entry("trim_space", new String[] {"string"}),
            Map.entry("startswith", new String[] {"string", "string"}),
            Map.entry("endswith", new String[] {"string", "string"}),
            Map.entry("contains", new String[] {"string", "string"}),
            Map.entry("concat", new String[] {"string", "array|set"}),
            Map.entry("sprintf", new String[] {"string", "array"}),
            Map.entry("split", new String[] {"string", "string"}),
            Map.entry("regex.match", new String[] {"string", "string"}));

    private final Map<String, Builtin> builtins = new HashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    public RegoCompiler() {
        builtins.putAll(Builtins.standard());
        builtins.putIfAbsent(MEMBER_2.name(), MEMBER_2);
        builtins.putIfAbsent(MEMBER_3.name(), MEMBER_3);
    }

    /** Adds a module; {@code file} names it in error messages. */
    public RegoCompiler addModule(String file, String source) {
        sources.put(file, source);
        return this;
    }

    /** Adds or replaces a built-in function. */
    public RegoCompiler addBuiltin(Builtin builtin) {
        builtins.put(builtin.name(), builtin);
        return this;
    }

    public RegoCompiler addBuiltins(Map<String, Builtin> more) {
        builtins.putAll(more);
        return this;
    }

    /** Parses and compiles all modules. */
    public PolicySet compile() {
        List<RegoModule> modules = new ArrayList<>();
        String file = null;
        try {
            for (var e : sources.entrySet()) {
                file = e.getKey();
                modules.add(Parser.parseModule(e.getKey(), e.getValue()));
            }
            file = null;
            return new Compilation(Map.copyOf(builtins), modules).run();
        } catch (StackOverflowError e) {
            throw RegoException.compile(
                    file == null ? "rego_compile_error" : "rego_parse_error",
                    "policy is too deeply nested",
                    new Loc(file == null ? "policy" : file, 1, 1));
        }
    }

    /** Compiles a single module given as source (convenience). */
    public static PolicySet compile(String file, String source) {
        return new RegoCompiler().addModule(file, source).compile();
    }

    // ==============================================================================================

    static final class Compilation {
        final Map<String, Builtin> builtins;
        final List<RegoModule> modules;
        final RuleNode root = new RuleNode(List.of());
        final Map<List<String>, Set<String>> pkgRuleNames = new HashMap<>();
        int counter;

        Compilation(Map<String, Builtin> builtins, List<RegoModule> modules) {
            this.builtins = builtins;
            this.modules = modules;
        }

        Annotations annotations;

        PolicySet run() {
            annotations = Annotations.of(modules);
            // pass 1: tree skeleton, rule names, arities
            for (RegoModule m : modules) {
                RuleNode pkgNode = nodeAt(m.pkg());
                pkgNode.isPackage = true;
                Set<String> names = pkgRuleNames.computeIfAbsent(m.pkg(), k -> new HashSet<>());
                for (Rule r : m.rules()) {
                    names.add(str(r.head().get(0)));
                    if (r.kind() == RuleKind.FUNCTION) {
                        RuleNode n = pkgNode;
                        for (Term t : r.head()) {
                            n = n.child(str(t));
                        }
                        int ar = r.args().size();
                        if (n.arity >= 0 && n.arity != ar) {
                            throw RegoException.compile(
                                    "rego_type_error", "conflicting rules " + n.name() + " found", r.loc());
                        }
                        n.arity = ar;
                    }
                }
            }
            // pass 2: compile rules
            for (RegoModule m : modules) {
                Resolver res = new Resolver(m);
                RuleNode pkgNode = nodeAt(m.pkg());
                for (Rule r : m.rules()) {
                    RuleNode n = pkgNode;
                    int i = 0;
                    List<Term> head = r.head();
                    while (i < head.size() && head.get(i) instanceof Scalar s && s.value() instanceof Value.Str str) {
                        n = n.child(str.value());
                        i++;
                    }
                    CRule c = res.rule(r, i);
                    if (r.kind() == RuleKind.FUNCTION) {
                        if (i != head.size()) {
                            throw RegoException.compile("rego_parse_error", "invalid function name", r.loc());
                        }
                        if (r.isDefault()) {
                            if (n.defaultFunction != null) {
                                throw RegoException.compile(
                                        "rego_type_error", "multiple default rules " + n.name() + " found", r.loc());
                            }
                            n.defaultFunction = c;
                        } else {
                            n.functions.add(c);
                        }
                    } else if (r.isDefault()) {
                        if (n.defaultRule != null) {
                            throw RegoException.compile(
                                    "rego_type_error", "multiple default rules " + n.name() + " found", r.loc());
                        }
                        n.defaultRule = c;
                    } else {
                        n.rules.add(c);
                    }
                }
            }
            checkConflicts(root);
            new RecursionCheck(root).run();
            return new PolicySet(this);
        }

        private void checkConflicts(RuleNode n) {
            if (n.isFunction() && n.hasRules()) {
                CRule any = n.rules.isEmpty() ? n.defaultRule : n.rules.get(0);
                throw RegoException.compile(
                        "rego_type_error", "conflicting rules " + n.name() + " found", any.src.loc());
            }
            CRule whole = n.defaultRule;
            for (CRule r : n.rules) {
                if (r.suffix.isEmpty()) {
                    whole = r;
                    break;
                }
            }
            if (whole != null) {
                // A rule that defines the whole document here leaves no room for rules below it.
                List<String> below = new ArrayList<>();
                for (RuleNode c : n.children.values()) {
                    if (c.hasAnyRules()) {
                        below.add(c.name());
                    }
                }
                if (!below.isEmpty()) {
                    throw RegoException.compile(
                            "rego_type_error", "rule " + n.name() + " conflicts with " + below, whole.src.loc());
                }
            }
            boolean complete = false;
            boolean set = false;
            for (CRule r : n.rules) {
                if (r.suffix.isEmpty()) {
                    if (r.kind == RuleKind.CONTAINS) {
                        set = true;
                    } else {
                        complete = true;
                    }
                }
                if (complete && set) {
                    throw RegoException.compile(
                            "rego_type_error", "conflicting rules " + n.name() + " found", r.src.loc());
                }
            }
            n.children.values().forEach(this::checkConflicts);
        }

        RuleNode nodeAt(List<String> path) {
            RuleNode n = root;
            for (String s : path) {
                n = n.child(s);
            }
            return n;
        }

        RuleNode findNode(List<String> path) {
            RuleNode n = root;
            for (String s : path) {
                n = n.children.get(s);
                if (n == null) {
                    return null;
                }
            }
            return n;
        }

        static String str(Term t) {
            return ((Value.Str) ((Scalar) t).value()).value();
        }

        int arityOf(String name) {
            if (name.startsWith("data.")) {
                RuleNode n = findNode(List.of(name.substring(5).split("\\.")));
                return n == null ? -1 : n.arity;
            }
            Builtin b = builtins.get(name);
            return b == null ? -1 : b.arity();
        }

        // ------------------------------------------------------------------------------ resolver

        static final class Scope {
            final Scope parent;
            final Map<String, String> decl = new HashMap<>();
            /** Undeclared vars already used in this scope (a later {@code :=} of one is an error). */
            final Set<String> used = new HashSet<>();

            Scope(Scope parent) {
                this.parent = parent;
            }

            String lookup(String name) {
                for (Scope s = this; s != null; s = s.parent) {
                    String r = s.decl.get(name);
                    if (r != null) {
                        return r;
                    }
                }
                return null;
            }
        }

        final class Resolver {
            final List<String> pkg;
            final Set<String> ruleNames;
            final Map<String, Term> imports = new HashMap<>();

            Resolver(RegoModule m) {
                this.pkg = m.pkg();
                this.ruleNames = pkgRuleNames.getOrDefault(m.pkg(), Set.of());
                for (Import im : m.imports()) {
                    List<Term> path = im.path();
                    String root = ((Var) path.get(0)).name();
                    if (!root.equals("data") && !root.equals("input")) {
                        if (root.equals("rego") || root.equals("future")) {
                            continue;
                        }
                        throw RegoException.compile(
                                "rego_parse_error", "invalid import, must begin with input or data", im.loc());
                    }
                    String alias = im.alias();
                    if (alias == null) {
                        Term last = path.get(path.size() - 1);
                        alias = last instanceof Var v ? v.name() : str(last);
                    }
                    Term t = path.size() == 1
                            ? path.get(0)
                            : new Ref(path.get(0), path.subList(1, path.size()), im.loc());
                    imports.put(alias, t);
                }
            }

            /** Resolver for queries: no package. */
            Resolver() {
                this.pkg = List.of();
                this.ruleNames = Set.of();
            }

            /** The rule being compiled, for rego.metadata.*; null in queries. */
            Rule current;

            CRule rule(Rule r, int groundLen) {
                Rule outer = current;
                if (current == null) {
                    current = r;
                }
                try {
                    return ruleInner(r, groundLen);
                } finally {
                    current = outer;
                }
            }

            CRule ruleInner(Rule r, int groundLen) {
                Scope sc = new Scope(null);
                Set<String> bound = new HashSet<>();
                List<Term> args = null;
                if (r.args() != null) {
                    args = new ArrayList<>();
                    for (Term a : r.args()) {
                        declarePattern(a, sc, false);
                    }
                    for (Term a : r.args()) {
                        Term ra = res(a, sc);
                        args.add(ra);
                        allVars(ra, bound);
                    }
                }
                List<Expr> body = new ArrayList<>(resBody(r.body(), sc));
                List<Term> rawSuffix = new ArrayList<>();
                for (Term t : r.head().subList(groundLen, r.head().size())) {
                    rawSuffix.add(res(t, sc));
                }
                Term rawValue = res(r.value(), sc);
                if (needsEval(rawValue)) {
                    Var h = new Var("$h" + (++counter), rawValue.loc());
                    body.add(new Expr(new Unify(h, rawValue), false, List.of(), rawValue.loc()));
                    rawValue = h;
                }
                body = order(body, bound);
                List<Term> suffix = new ArrayList<>();
                for (Term t : rawSuffix) {
                    suffix.add(closures(t, bound));
                }
                Term value = closures(rawValue, bound);
                Set<String> headVars = new LinkedHashSet<>();
                suffix.forEach(t -> topTermVars(t, headVars));
                topTermVars(value, headVars);
                for (String v : headVars) {
                    if (!bound.contains(v)) {
                        throw unsafe(v, r.loc());
                    }
                }
                CRule elseRule = r.elseRule() == null
                        ? null
                        : rule(
                                new Rule(
                                        r.elseRule().loc(),
                                        r.kind(),
                                        r.head(),
                                        r.args(),
                                        r.elseRule().value(),
                                        false,
                                        r.elseRule().assign(),
                                        r.elseRule().body(),
                                        r.elseRule().elseRule()),
                                groundLen);
                return new CRule(r, r.kind(), List.copyOf(suffix), args, value, body, elseRule, r.isDefault());
            }

            boolean needsEval(Term t) {
                if (t instanceof Ref || t instanceof Call) {
                    return true;
                }
                if (t instanceof ArrayT a) {
                    return a.items().stream().anyMatch(this::needsEval);
                }
                if (t instanceof SetT s) {
                    return s.items().stream().anyMatch(this::needsEval);
                }
                if (t instanceof ObjectT o) {
                    return o.keys().stream().anyMatch(this::needsEval)
                            || o.values().stream().anyMatch(this::needsEval);
                }
                return false;
            }

            RegoException unsafe(String var, Loc loc) {
                return RegoException.compile("rego_unsafe_var_error", "var " + display(var) + " is unsafe", loc);
            }

            void declarePattern(Term t, Scope sc, boolean rename) {
                if (t instanceof Var v) {
                    if (!v.name().equals("_")) {
                        sc.decl.put(v.name(), rename ? v.name() + "$" + (++counter) : v.name());
                    }
                } else if (t instanceof ArrayT a) {
                    a.items().forEach(x -> declarePattern(x, sc, rename));
                } else if (t instanceof ObjectT o) {
                    o.values().forEach(x -> declarePattern(x, sc, rename));
                }
            }

            void declareAssign(Term t, Scope sc, Loc loc) {
                if (t instanceof Var v) {
                    if (v.name().equals("_")) {
                        return;
                    }
                    if (sc.decl.containsKey(v.name())) {
                        throw RegoException.compile(
                                "rego_compile_error", "var " + v.name() + " assigned above", v.loc());
                    }
                    if (sc.used.contains(v.name())) {
                        throw RegoException.compile(
                                "rego_compile_error", "var " + v.name() + " referenced above", v.loc());
                    }
                    sc.decl.put(v.name(), v.name() + "$" + (++counter));
                } else if (t instanceof ArrayT a) {
                    a.items().forEach(x -> declareAssign(x, sc, loc));
                } else if (t instanceof ObjectT o) {
                    o.values().forEach(x -> declareAssign(x, sc, loc));
                } else if (!(t instanceof Scalar)) {
                    throw RegoException.compile(
                            "rego_compile_error",
                            "cannot assign to " + t.getClass().getSimpleName().toLowerCase(),
                            loc);
                }
            }

            List<Expr> resBody(List<Expr> body, Scope sc) {
                List<Expr> out = new ArrayList<>();
                for (Expr e : body) {
                    out.add(resExpr(e, sc));
                }
                return out;
            }

            Expr resExpr(Expr e, Scope sc) {
                Node n = e.node();
                Node rn;
                if (n instanceof TermExpr te) {
                    rn = new TermExpr(res(te.term(), sc));
                } else if (n instanceof Unify u) {
                    rn = new Unify(res(u.left(), sc), res(u.right(), sc));
                } else if (n instanceof Assign a) {
                    Term rhs = res(a.right(), sc);
                    declareAssign(a.left(), sc, e.loc());
                    rn = new Unify(res(a.left(), sc), rhs);
                } else if (n instanceof SomeDecl sd) {
                    List<Var> vs = new ArrayList<>();
                    for (Var v : sd.vars()) {
                        declarePattern(v, sc, true);
                        vs.add((Var) res(v, sc));
                    }
                    rn = new SomeDecl(vs);
                } else if (n instanceof SomeIn si) {
                    Term coll = res(si.collection(), sc);
                    if (si.key() != null) {
                        declarePattern(si.key(), sc, true);
                    }
                    declarePattern(si.value(), sc, true);
                    rn = new SomeIn(si.key() == null ? null : res(si.key(), sc), res(si.value(), sc), coll);
                } else if (n instanceof Every ev) {
                    Term dom = res(ev.domain(), sc);
                    Scope inner = new Scope(sc);
                    if (ev.key() != null) {
                        declarePattern(ev.key(), inner, true);
                    }
                    declarePattern(ev.value(), inner, true);
                    rn = new Every(
                            ev.key() == null ? null : res(ev.key(), inner),
                            res(ev.value(), inner),
                            dom,
                            resBody(ev.body(), inner));
                } else {
                    NotBody nb = (NotBody) n;
                    rn = new NotBody(resBody(nb.body(), new Scope(sc)));
                }
                List<With> withs = new ArrayList<>();
                for (With w : e.withs()) {
                    withs.add(new With(withTarget(w.target(), w.loc()), withValue(w.value(), sc), w.loc()));
                }
                return new Expr(rn, e.negated(), withs, e.loc());
            }

            /** input/data refs stay refs; functions and built-ins become a {@code Call(name, null)} marker. */
            Term withTarget(Term t, Loc loc) {
                String dotted = dotted(t);
                if (dotted == null) {
                    throw RegoException.compile("rego_compile_error", "with target must be a reference", loc);
                }
                String head = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
                if (!head.equals("input")
                        && !head.equals("data")
                        && (imports.containsKey(head) || ruleNames.contains(head))) {
                    // An imported name or a rule of this package: the target is its data (or input) path.
                    String full = callNameOrNull(dotted);
                    if (full != null
                            && (full.startsWith("data.") || full.equals("input") || full.startsWith("input."))) {
                        t = refOf(full, loc);
                        dotted = full;
                    }
                }
                if (dotted.equals("input") || dotted.startsWith("input.")) {
                    return t;
                }
                if (dotted.equals("data") || dotted.startsWith("data.")) {
                    RuleNode n = dotted.equals("data")
                            ? root
                            : findNode(List.of(dotted.substring(5).split("\\.")));
                    if (n != null && n.arity >= 0) {
                        return new Call(dotted, null, loc);
                    }
                    return t;
                }
                String fn = callName(dotted);
                if (fn != null) {
                    return new Call(fn, null, loc);
                }
                throw RegoException.compile(
                        "rego_compile_error",
                        "with keyword target must reference existing input, data, or a function",
                        loc);
            }

            Term withValue(Term t, Scope sc) {
                String dotted = dotted(t);
                if (dotted != null && sc.lookup(dotted.split("\\.")[0]) == null) {
                    String fn = callNameOrNull(dotted);
                    if (fn != null) {
                        if (fn.startsWith("data.")) {
                            RuleNode n = findNode(List.of(fn.substring(5).split("\\.")));
                            if (n != null && n.arity >= 0) {
                                return new Call(fn, null, t.loc());
                            }
                        } else if (builtins.containsKey(fn) && !fn.equals("data") && !fn.equals("input")) {
                            return new Call(fn, null, t.loc());
                        }
                    }
                }
                return res(t, sc);
            }

            Term refOf(String dotted, Loc loc) {
                String[] parts = dotted.split("\\.");
                if (parts.length == 1) {
                    return new Var(parts[0], loc);
                }
                List<Term> path = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    path.add(new Scalar(Value.str(parts[i]), loc));
                }
                return new Ref(new Var(parts[0], loc), List.copyOf(path), loc);
            }

            String dotted(Term t) {
                if (t instanceof Var v) {
                    return v.name();
                }
                if (t instanceof Ref r && r.head() instanceof Var v) {
                    StringBuilder sb = new StringBuilder(v.name());
                    for (Term p : r.path()) {
                        if (!(p instanceof Scalar s && s.value() instanceof Value.Str str)) {
                            return null;
                        }
                        sb.append('.').append(str.value());
                    }
                    return sb.toString();
                }
                return null;
            }

            /** Resolves a function name; throws when unknown. */
            String callName(String name) {
                String r = callNameOrNull(name);
                if (r == null) {
                    return null;
                }
                if (r.startsWith("data.")) {
                    RuleNode n = findNode(List.of(r.substring(5).split("\\.")));
                    if (n == null || n.arity < 0) {
                        return null;
                    }
                    return r;
                }
                return builtins.containsKey(r) ? r : null;
            }

            String callNameOrNull(String name) {
                String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                String rest = name.substring(first.length());
                Term imp = imports.get(first);
                if (imp != null) {
                    String d = dotted(imp);
                    return d == null ? null : d + rest;
                }
                if (first.equals("data")) {
                    return name;
                }
                if (ruleNames.contains(first)) {
                    return "data." + (pkg.isEmpty() ? "" : String.join(".", pkg) + ".") + name;
                }
                return name;
            }

            Term res(Term t, Scope sc) {
                if (t instanceof Scalar) {
                    return t;
                }
                if (t instanceof Var v) {
                    return resVar(v, sc);
                }
                if (t instanceof Ref r) {
                    Term head = res(r.head(), sc);
                    List<Term> path = new ArrayList<>();
                    for (Term p : r.path()) {
                        path.add(res(p, sc));
                    }
                    if (head instanceof Ref hr) {
                        List<Term> all = new ArrayList<>(hr.path());
                        all.addAll(path);
                        return new Ref(hr.head(), List.copyOf(all), r.loc());
                    }
                    return new Ref(head, List.copyOf(path), r.loc());
                }
                if (t instanceof ArrayT a) {
                    return fold(new ArrayT(resAll(a.items(), sc), a.loc()));
                }
                if (t instanceof SetT s) {
                    return fold(new SetT(resAll(s.items(), sc), s.loc()));
                }
                if (t instanceof ObjectT o) {
                    return fold(new ObjectT(resAll(o.keys(), sc), resAll(o.values(), sc), o.loc()));
                }
                if (t instanceof ArrayCompr c) {
                    Scope inner = new Scope(sc);
                    List<Expr> b = resBody(c.body(), inner);
                    return new ArrayCompr(res(c.head(), inner), b, c.loc());
                }
                if (t instanceof SetCompr c) {
                    Scope inner = new Scope(sc);
                    List<Expr> b = resBody(c.body(), inner);
                    return new SetCompr(res(c.head(), inner), b, c.loc());
                }
                if (t instanceof ObjectCompr c) {
                    Scope inner = new Scope(sc);
                    List<Expr> b = resBody(c.body(), inner);
                    return new ObjectCompr(res(c.key(), inner), res(c.value(), inner), b, c.loc());
                }
                Call c = (Call) t;
                if (c.name().equals(Parser.TEMPLATE_STRING)) {
                    return new Call(Parser.TEMPLATE_STRING, resAll(c.args(), sc), c.loc());
                }
                if (c.name().equals("print") && !builtins.containsKey("print") && sc.lookup("print") == null) {
                    return new Call("print", resAll(c.args(), sc), c.loc());
                }
                String name = callName(c.name());
                if (name == null) {
                    throw RegoException.compile("rego_type_error", "undefined function " + c.name(), c.loc());
                }
                if ((name.equals("rego.metadata.rule") || name.equals("rego.metadata.chain"))
                        && c.args().isEmpty()
                        && builtins.get(name) == Builtins.standard().get(name)) {
                    if (current == null || annotations == null) {
                        return new Scalar(name.endsWith("rule") ? Value.EMPTY_OBJECT : Value.array(), c.loc());
                    }
                    return new Scalar(
                            name.endsWith("rule") ? annotations.rule(pkg, current) : annotations.chain(pkg, current),
                            c.loc());
                }
                if (Builtins.unsupported().contains(name)
                        && builtins.get(name) == Builtins.standard().get(name)) {
                    throw RegoException.compile(
                            UNSUPPORTED_BUILTIN,
                            name + " is not supported by Hallpass's embedded Rego engine (use OPA over REST)",
                            c.loc());
                }
                int ar = arityOf(name);
                if (ar >= 0 && c.args().size() != ar && c.args().size() != ar + 1) {
                    throw RegoException.compile(
                            "rego_type_error",
                            name + ": arity mismatch\n\thave: " + c.args().size() + " arguments\n\twant: " + ar
                                    + " arguments",
                            c.loc());
                }
                List<Term> args = resAll(c.args(), sc);
                checkConstantTypes(name, args, c.loc());
                return new Call(name, args, c.loc());
            }

            /**
             * The type checker's common cases: a constant argument of a type the built-in never accepts
             * ({@code 1 + "a"}, {@code count(1)}) is a compile error, as OPA's checker reports it, rather
             * than an expression that is always undefined.
             */
            void checkConstantTypes(String name, List<Term> args, Loc loc) {
                String[] want = CONSTANT_TYPES.get(name);
                if (want == null || builtins.get(name) != Builtins.standard().get(name)) {
                    return;
                }
                for (int i = 0; i < want.length && i < args.size(); i++) {
                    if (args.get(i) instanceof Scalar sc) {
                        String type = sc.value().typeName();
                        if (!List.of(want[i].split("\\|")).contains(type)) {
                            throw RegoException.compile(
                                    "rego_type_error",
                                    name + ": invalid argument(s): operand " + (i + 1) + " must be "
                                            + want[i].replace("|", " or ") + " but got " + type,
                                    loc);
                        }
                    }
                }
            }

            /**
             * A literal whose items are all constants becomes one constant, built once here: evaluating a
             * 10,000-entry literal item by item per decision would cost time and, in continuation-passing
             * style, one stack frame per item.
             */
            Term fold(Term t) {
                if (t instanceof ArrayT a && allScalar(a.items())) {
                    List<Value> vs = new ArrayList<>(a.items().size());
                    a.items().forEach(x -> vs.add(((Scalar) x).value()));
                    return new Scalar(Value.array(vs), a.loc());
                }
                if (t instanceof SetT st && allScalar(st.items())) {
                    List<Value> vs = new ArrayList<>(st.items().size());
                    st.items().forEach(x -> vs.add(((Scalar) x).value()));
                    return new Scalar(Value.set(vs), st.loc());
                }
                if (t instanceof ObjectT o && allScalar(o.keys()) && allScalar(o.values())) {
                    Map<Value, Value> m = new java.util.TreeMap<>();
                    for (int i = 0; i < o.keys().size(); i++) {
                        m.put(
                                ((Scalar) o.keys().get(i)).value(),
                                ((Scalar) o.values().get(i)).value());
                    }
                    return new Scalar(Value.object(m), o.loc());
                }
                return t;
            }

            boolean allScalar(List<Term> ts) {
                for (Term t : ts) {
                    if (!(t instanceof Scalar)) {
                        return false;
                    }
                }
                return true;
            }

            List<Term> resAll(List<Term> ts, Scope sc) {
                List<Term> out = new ArrayList<>(ts.size());
                for (Term t : ts) {
                    out.add(res(t, sc));
                }
                return out;
            }

            Term resVar(Var v, Scope sc) {
                String n = v.name();
                if (n.equals("_")) {
                    return new Var("_$" + (++counter), v.loc());
                }
                String d = sc.lookup(n);
                if (d != null) {
                    return new Var(d, v.loc());
                }
                if (n.equals("input") || n.equals("data")) {
                    return v;
                }
                Term imp = imports.get(n);
                if (imp != null) {
                    return imp;
                }
                if (ruleNames.contains(n)) {
                    List<Term> path = new ArrayList<>();
                    for (String s : pkg) {
                        path.add(new Scalar(Value.str(s), v.loc()));
                    }
                    path.add(new Scalar(Value.str(n), v.loc()));
                    return new Ref(new Var("data", v.loc()), List.copyOf(path), v.loc());
                }
                sc.used.add(n);
                return v;
            }

            // -------------------------------------------------------------------- safety / ordering

            List<Expr> order(List<Expr> body, Set<String> bound) {
                int n = body.size();
                List<Set<String>> top = new ArrayList<>();
                for (Expr e : body) {
                    Set<String> s = new HashSet<>();
                    topVars(e, s);
                    top.add(s);
                }
                List<Set<String>> ins = new ArrayList<>();
                List<Set<String>> outs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Set<String> outer = new HashSet<>(bound);
                    for (int j = 0; j < n; j++) {
                        if (j != i) {
                            outer.addAll(top.get(j));
                        }
                    }
                    Set<String> in = new LinkedHashSet<>();
                    Set<String> out = new LinkedHashSet<>();
                    exprIO(body.get(i), outer, top.get(i), in, out);
                    ins.add(in);
                    outs.add(out);
                }
                List<Expr> result = new ArrayList<>();
                boolean[] done = new boolean[n];
                for (int k = 0; k < n; k++) {
                    int pick = -1;
                    for (int i = 0; i < n; i++) {
                        if (!done[i] && bound.containsAll(ins.get(i)) && varVarReady(body.get(i), bound)) {
                            pick = i;
                            break;
                        }
                    }
                    if (pick < 0) {
                        for (int i = 0; i < n; i++) {
                            if (!done[i]) {
                                for (String v : ins.get(i)) {
                                    if (!bound.contains(v)) {
                                        throw unsafe(v, varLoc(body.get(i), v));
                                    }
                                }
                            }
                        }
                        for (int i = 0; i < n; i++) {
                            if (!done[i] && body.get(i).node() instanceof Unify u && u.left() instanceof Var a) {
                                throw unsafe(a.name(), a.loc());
                            }
                        }
                        throw unsafe("?", body.get(0).loc());
                    }
                    done[pick] = true;
                    result.add(nested(body.get(pick), bound));
                    bound.addAll(outs.get(pick));
                }
                return result;
            }

            Loc varLoc(Expr e, String v) {
                Loc[] found = new Loc[1];
                walkExpr(e, t -> {
                    if (found[0] == null && t instanceof Var var && var.name().equals(v)) {
                        found[0] = var.loc();
                    }
                });
                return found[0] != null ? found[0] : e.loc();
            }

            /** Reorders the bodies nested in an expression, given the vars bound before it. */
            Expr nested(Expr e, Set<String> bound) {
                Node n = e.node();
                Node rn;
                if (n instanceof TermExpr te) {
                    rn = new TermExpr(closures(te.term(), bound));
                } else if (n instanceof Unify u) {
                    rn = new Unify(closures(u.left(), bound), closures(u.right(), bound));
                } else if (n instanceof SomeIn si) {
                    rn = new SomeIn(si.key(), si.value(), closures(si.collection(), bound));
                } else if (n instanceof Every ev) {
                    Set<String> b = new HashSet<>(bound);
                    if (ev.key() != null) {
                        allVars(ev.key(), b);
                    }
                    allVars(ev.value(), b);
                    rn = new Every(ev.key(), ev.value(), closures(ev.domain(), bound), order(ev.body(), b));
                } else if (n instanceof NotBody nb) {
                    rn = new NotBody(order(nb.body(), new HashSet<>(bound)));
                } else {
                    rn = n;
                }
                List<With> withs = new ArrayList<>();
                for (With w : e.withs()) {
                    withs.add(new With(w.target(), closures(w.value(), bound), w.loc()));
                }
                return new Expr(rn, e.negated(), withs, e.loc());
            }

            Term closures(Term t, Set<String> bound) {
                if (t instanceof ArrayCompr c) {
                    Set<String> b = new HashSet<>(bound);
                    List<Expr> body = order(c.body(), b);
                    Term head = closures(c.head(), b);
                    checkBound(head, b, c.loc());
                    return new ArrayCompr(head, body, c.loc());
                }
                if (t instanceof SetCompr c) {
                    Set<String> b = new HashSet<>(bound);
                    List<Expr> body = order(c.body(), b);
                    Term head = closures(c.head(), b);
                    checkBound(head, b, c.loc());
                    return new SetCompr(head, body, c.loc());
                }
                if (t instanceof ObjectCompr c) {
                    Set<String> b = new HashSet<>(bound);
                    List<Expr> body = order(c.body(), b);
                    Term k = closures(c.key(), b);
                    Term v = closures(c.value(), b);
                    checkBound(k, b, c.loc());
                    checkBound(v, b, c.loc());
                    return new ObjectCompr(k, v, body, c.loc());
                }
                if (t instanceof Ref r) {
                    return new Ref(closures(r.head(), bound), closuresAll(r.path(), bound), r.loc());
                }
                if (t instanceof ArrayT a) {
                    return new ArrayT(closuresAll(a.items(), bound), a.loc());
                }
                if (t instanceof SetT s) {
                    return new SetT(closuresAll(s.items(), bound), s.loc());
                }
                if (t instanceof ObjectT o) {
                    return new ObjectT(closuresAll(o.keys(), bound), closuresAll(o.values(), bound), o.loc());
                }
                if (t instanceof Call c && c.args() != null) {
                    return new Call(c.name(), closuresAll(c.args(), bound), c.loc());
                }
                return t;
            }

            List<Term> closuresAll(List<Term> ts, Set<String> bound) {
                List<Term> out = new ArrayList<>(ts.size());
                for (Term t : ts) {
                    out.add(closures(t, bound));
                }
                return out;
            }

            void checkBound(Term t, Set<String> bound, Loc loc) {
                Set<String> vs = new LinkedHashSet<>();
                allVars(t, vs);
                for (String v : vs) {
                    if (!bound.contains(v)) {
                        throw unsafe(v, loc);
                    }
                }
            }

            /** {@code x = y} with two plain vars can run only once one of them is bound. */
            boolean varVarReady(Expr e, Set<String> bound) {
                if (e.node() instanceof Unify u
                        && !e.negated()
                        && u.left() instanceof Var a
                        && u.right() instanceof Var b
                        && !isRoot(a.name())
                        && !isRoot(b.name())) {
                    return bound.contains(a.name()) || bound.contains(b.name());
                }
                return true;
            }

            void exprIO(Expr e, Set<String> outer, Set<String> self, Set<String> in, Set<String> out) {
                Set<String> outerSelf = new HashSet<>(outer);
                outerSelf.addAll(self);
                Node n = e.node();
                if (e.negated()) {
                    // vars of a negated expression must be bound elsewhere (wildcards excepted);
                    // vars local to a nested comprehension stay local
                    Set<String> all = new HashSet<>();
                    allVarsExpr(e, all);
                    for (String v : all) {
                        if (outer.contains(v) || (self.contains(v) && !v.startsWith("_$"))) {
                            in.add(v);
                        }
                    }
                    return;
                }
                if (n instanceof TermExpr te) {
                    Term t = te.term();
                    if (t instanceof Call c && c.args() != null) {
                        int ar = arityOf(c.name());
                        if (ar >= 0 && c.args().size() == ar + 1) {
                            for (int i = 0; i < ar; i++) {
                                collect(c.args().get(i), false, in, out, outerSelf);
                            }
                            collect(c.args().get(ar), true, in, out, outerSelf);
                        } else {
                            collect(t, false, in, out, outerSelf);
                        }
                    } else {
                        collect(t, false, in, out, outerSelf);
                    }
                } else if (n instanceof Unify u) {
                    collect(u.left(), true, in, out, outerSelf);
                    collect(u.right(), true, in, out, outerSelf);
                } else if (n instanceof SomeIn si) {
                    if (si.key() != null) {
                        collect(si.key(), true, in, out, outerSelf);
                    }
                    collect(si.value(), true, in, out, outerSelf);
                    collect(si.collection(), false, in, out, outerSelf);
                } else if (n instanceof Every ev) {
                    collect(ev.domain(), false, in, out, outerSelf);
                    Set<String> local = new HashSet<>();
                    if (ev.key() != null) {
                        allVars(ev.key(), local);
                    }
                    allVars(ev.value(), local);
                    Set<String> all = new HashSet<>();
                    for (Expr b : ev.body()) {
                        allVarsExpr(b, all);
                    }
                    for (String v : all) {
                        if (outer.contains(v) && !local.contains(v)) {
                            in.add(v);
                        }
                    }
                } else if (n instanceof NotBody nb) {
                    Set<String> all = new HashSet<>();
                    for (Expr b : nb.body()) {
                        allVarsExpr(b, all);
                    }
                    for (String v : all) {
                        if (outer.contains(v)) {
                            in.add(v);
                        }
                    }
                }
                for (With w : e.withs()) {
                    collect(w.value(), false, in, out, outerSelf);
                }
                in.removeAll(out);
            }

            void collect(Term t, boolean pattern, Set<String> in, Set<String> out, Set<String> outer) {
                if (t instanceof Var v) {
                    if (isRoot(v.name())) {
                        return;
                    }
                    (pattern ? out : in).add(v.name());
                } else if (t instanceof Ref r) {
                    if (r.head() instanceof Var hv) {
                        if (!isRoot(hv.name())) {
                            in.add(hv.name());
                        }
                    } else {
                        collect(r.head(), false, in, out, outer);
                    }
                    for (Term p : r.path()) {
                        collect(p, true, in, out, outer);
                    }
                } else if (t instanceof ArrayT a) {
                    a.items().forEach(x -> collect(x, pattern, in, out, outer));
                } else if (t instanceof ObjectT o) {
                    o.keys().forEach(x -> collect(x, false, in, out, outer));
                    o.values().forEach(x -> collect(x, pattern, in, out, outer));
                } else if (t instanceof SetT s) {
                    s.items().forEach(x -> collect(x, false, in, out, outer));
                } else if (t instanceof Call c) {
                    if (c.args() != null) {
                        c.args().forEach(x -> collect(x, false, in, out, outer));
                    }
                } else if (!(t instanceof Scalar)) {
                    Set<String> all = new HashSet<>();
                    allVars(t, all);
                    for (String v : all) {
                        if (outer.contains(v)) {
                            in.add(v);
                        }
                    }
                }
            }
        }

        // ---------------------------------------------------------------------------- var walks

        static boolean isRoot(String n) {
            return n.equals("data") || n.equals("input");
        }

        static String display(String var) {
            int i = var.indexOf('$');
            return i > 0 ? var.substring(0, i) : var;
        }

        interface TermVisitor {
            void visit(Term t);
        }

        static void walkTerm(Term t, TermVisitor v) {
            v.visit(t);
            if (t instanceof Ref r) {
                walkTerm(r.head(), v);
                r.path().forEach(x -> walkTerm(x, v));
            } else if (t instanceof ArrayT a) {
                a.items().forEach(x -> walkTerm(x, v));
            } else if (t instanceof SetT s) {
                s.items().forEach(x -> walkTerm(x, v));
            } else if (t instanceof ObjectT o) {
                o.keys().forEach(x -> walkTerm(x, v));
                o.values().forEach(x -> walkTerm(x, v));
            } else if (t instanceof Call c) {
                if (c.args() != null) {
                    c.args().forEach(x -> walkTerm(x, v));
                }
            } else if (t instanceof ArrayCompr c) {
                walkTerm(c.head(), v);
                c.body().forEach(e -> walkExpr(e, v));
            } else if (t instanceof SetCompr c) {
                walkTerm(c.head(), v);
                c.body().forEach(e -> walkExpr(e, v));
            } else if (t instanceof ObjectCompr c) {
                walkTerm(c.key(), v);
                walkTerm(c.value(), v);
                c.body().forEach(e -> walkExpr(e, v));
            }
        }

        static void walkExpr(Expr e, TermVisitor v) {
            Node n = e.node();
            if (n instanceof TermExpr te) {
                walkTerm(te.term(), v);
            } else if (n instanceof Unify u) {
                walkTerm(u.left(), v);
                walkTerm(u.right(), v);
            } else if (n instanceof Assign a) {
                walkTerm(a.left(), v);
                walkTerm(a.right(), v);
            } else if (n instanceof SomeDecl sd) {
                sd.vars().forEach(x -> walkTerm(x, v));
            } else if (n instanceof SomeIn si) {
                if (si.key() != null) {
                    walkTerm(si.key(), v);
                }
                walkTerm(si.value(), v);
                walkTerm(si.collection(), v);
            } else if (n instanceof Every ev) {
                if (ev.key() != null) {
                    walkTerm(ev.key(), v);
                }
                walkTerm(ev.value(), v);
                walkTerm(ev.domain(), v);
                ev.body().forEach(x -> walkExpr(x, v));
            } else if (n instanceof NotBody nb) {
                nb.body().forEach(x -> walkExpr(x, v));
            }
            for (With w : e.withs()) {
                walkTerm(w.target(), v);
                walkTerm(w.value(), v);
            }
        }

        static void allVars(Term t, Set<String> out) {
            walkTerm(t, x -> {
                if (x instanceof Var v && !isRoot(v.name())) {
                    out.add(v.name());
                }
            });
        }

        static void allVarsExpr(Expr e, Set<String> out) {
            walkExpr(e, x -> {
                if (x instanceof Var v && !isRoot(v.name())) {
                    out.add(v.name());
                }
            });
        }

        /** Vars of an expression outside nested closures (comprehensions, every and not bodies). */
        static void topVars(Expr e, Set<String> out) {
            Node n = e.node();
            List<Term> terms = new ArrayList<>();
            if (n instanceof TermExpr te) {
                terms.add(te.term());
            } else if (n instanceof Unify u) {
                terms.add(u.left());
                terms.add(u.right());
            } else if (n instanceof SomeIn si) {
                if (si.key() != null) {
                    terms.add(si.key());
                }
                terms.add(si.value());
                terms.add(si.collection());
            } else if (n instanceof Every ev) {
                terms.add(ev.domain());
            }
            for (With w : e.withs()) {
                terms.add(w.value());
            }
            for (Term t : terms) {
                topTermVars(t, out);
            }
        }

        static void topTermVars(Term t, Set<String> out) {
            if (t instanceof Var v) {
                if (!isRoot(v.name())) {
                    out.add(v.name());
                }
            } else if (t instanceof Ref r) {
                topTermVars(r.head(), out);
                r.path().forEach(x -> topTermVars(x, out));
            } else if (t instanceof ArrayT a) {
                a.items().forEach(x -> topTermVars(x, out));
            } else if (t instanceof SetT s) {
                s.items().forEach(x -> topTermVars(x, out));
            } else if (t instanceof ObjectT o) {
                o.keys().forEach(x -> topTermVars(x, out));
                o.values().forEach(x -> topTermVars(x, out));
            } else if (t instanceof Call c && c.args() != null) {
                c.args().forEach(x -> topTermVars(x, out));
            }
        }

        /** Compiles a query against this compilation's tree. */
        List<Expr> compileQuery(List<Expr> query) {
            Resolver r = new Resolver();
            List<Expr> body = r.resBody(query, new Scope(null));
            return r.order(body, new HashSet<>());
        }

        // ------------------------------------------------------------------------------- recursion

        final class RecursionCheck {
            final RuleNode root;
            final Map<RuleNode, Set<RuleNode>> deps = new LinkedHashMap<>();

            RecursionCheck(RuleNode root) {
                this.root = root;
            }

            void run() {
                collectDeps(root);
                Map<RuleNode, Integer> state = new HashMap<>();
                for (RuleNode n : deps.keySet()) {
                    dfs(n, state, new ArrayList<>());
                }
            }

            void dfs(RuleNode n, Map<RuleNode, Integer> state, List<RuleNode> stack) {
                Integer s = state.get(n);
                if (s != null && s == 2) {
                    return;
                }
                if (s != null && s == 1) {
                    int i = stack.indexOf(n);
                    StringBuilder sb = new StringBuilder();
                    for (RuleNode x : stack.subList(i, stack.size())) {
                        sb.append(x.name()).append(" -> ");
                    }
                    sb.append(n.name());
                    CRule any = !n.rules.isEmpty()
                            ? n.rules.get(0)
                            : n.functions.isEmpty() ? n.defaultRule : n.functions.get(0);
                    throw RegoException.compile(
                            "rego_recursion_error",
                            "rule " + n.name() + " is recursive: " + sb,
                            any == null ? null : any.src.loc());
                }
                state.put(n, 1);
                stack.add(n);
                for (RuleNode d : deps.getOrDefault(n, Set.of())) {
                    dfs(d, state, stack);
                }
                stack.remove(stack.size() - 1);
                state.put(n, 2);
            }

            void collectDeps(RuleNode n) {
                if (n.hasRules() || n.isFunction()) {
                    Set<RuleNode> ds = new LinkedHashSet<>();
                    List<CRule> all = new ArrayList<>(n.rules);
                    all.addAll(n.functions);
                    if (n.defaultRule != null) {
                        all.add(n.defaultRule);
                    }
                    if (n.defaultFunction != null) {
                        all.add(n.defaultFunction);
                    }
                    for (CRule r : all) {
                        for (CRule c = r; c != null; c = c.elseRule) {
                            TermVisitor tv = t -> depsOf(t, ds);
                            c.body.forEach(e -> walkExpr(e, tv));
                            walkTerm(c.value, tv);
                            c.suffix.forEach(t -> walkTerm(t, tv));
                        }
                    }
                    deps.put(n, ds);
                }
                n.children.values().forEach(this::collectDeps);
            }

            void depsOf(Term t, Set<RuleNode> ds) {
                if (t instanceof Call c) {
                    if (c.name().startsWith("data.")) {
                        RuleNode x = findNode(List.of(c.name().substring(5).split("\\.")));
                        if (x != null) {
                            ds.add(x);
                        }
                    }
                    return;
                }
                if (!(t instanceof Ref r
                        && r.head() instanceof Var v
                        && v.name().equals("data"))) {
                    return;
                }
                RuleNode cur = root;
                for (Term p : r.path()) {
                    if (cur.hasRules()) {
                        break;
                    }
                    if (!(p instanceof Scalar s && s.value() instanceof Value.Str str)) {
                        return;
                    }
                    RuleNode nx = cur.children.get(str.value());
                    if (nx == null) {
                        return;
                    }
                    cur = nx;
                }
                addAll(cur, ds);
            }

            void addAll(RuleNode n, Set<RuleNode> ds) {
                if (n.hasRules() || n.isFunction()) {
                    ds.add(n);
                }
                n.children.values().forEach(c -> addAll(c, ds));
            }
        }
    }
}
