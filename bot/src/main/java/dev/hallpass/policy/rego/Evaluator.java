package dev.hallpass.policy.rego;

import dev.hallpass.policy.rego.Ast.*;
import dev.hallpass.policy.rego.RuleNode.CRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Top-down evaluation with backtracking, written in continuation-passing style: every step calls its
 * continuation once per solution; a continuation returns true to stop the enumeration.
 */
final class Evaluator implements BuiltinContext {
    interface K {
        boolean run();
    }

    interface VK {
        boolean run(Value v);
    }

    interface KV {
        boolean run(Value key, Value value);
    }

    private static final Object UNDEFINED = new Object();

    /** What {@code with} can change; one memo table per context. */
    static final class Ctx {
        final Value input;
        final Value data;
        final Set<RuleNode> masked;
        final Map<String, Object> fnOverrides;
        final Map<RuleNode, Object> memo = new HashMap<>();
        final Map<List<Object>, Object> fnMemo = new HashMap<>();
        final Set<RuleNode> inProgress = new HashSet<>();

        Ctx(Value input, Value data, Set<RuleNode> masked, Map<String, Object> fnOverrides) {
            this.input = input;
            this.data = data;
            this.masked = masked;
            this.fnOverrides = fnOverrides;
        }
    }

    private final PolicySet ps;
    private final EvalOptions opts;
    private Ctx ctx;
    private long steps;
    private final long deadline;
    private int depth;
    private final long nowNs;
    private final Map<Object, Object> cache = new HashMap<>();
    RegoException strictError;

    Evaluator(PolicySet ps, Value input, Value data, EvalOptions opts) {
        this.ps = ps;
        this.opts = opts;
        this.ctx = new Ctx(input, data == null ? Value.EMPTY_OBJECT : data, Set.of(), Map.of());
        this.deadline = System.nanoTime() + opts.timeBudget().toNanos();
        this.nowNs = opts.nowNs() != null
                ? opts.nowNs()
                : java.time.Instant.now().getEpochSecond() * 1_000_000_000L
                        + java.time.Instant.now().getNano();
    }

    // ------------------------------------------------------------------------------ BuiltinContext

    @Override
    public long nowNs() {
        return nowNs;
    }

    @Override
    public Map<Object, Object> cache() {
        return cache;
    }

    @Override
    public void checkBudget() {
        step();
    }

    private void step() {
        if (++steps > opts.maxSteps()) {
            throw new BudgetExceededException("evaluation exceeded its budget of " + opts.maxSteps() + " steps");
        }
        if ((steps & 255) == 0 && System.nanoTime() > deadline) {
            throw new BudgetExceededException("evaluation exceeded its time budget of "
                    + opts.timeBudget().toMillis() + " ms");
        }
    }

    private void enter() {
        if (++depth > opts.maxDepth()) {
            throw new BudgetExceededException("evaluation exceeded its maximum depth of " + opts.maxDepth());
        }
    }

    // ------------------------------------------------------------------------------------ queries

    /** Evaluates a compiled query body; calls {@code onResult} per solution with the expression values. */
    void query(List<Expr> body, Map<String, Value> frame, Value[] exprValues, K onResult) {
        qbody(body, 0, frame, exprValues, onResult);
    }

    private boolean qbody(List<Expr> body, int i, Map<String, Value> f, Value[] vals, K k) {
        if (i == body.size()) {
            return k.run();
        }
        step();
        Expr e = body.get(i);
        if (e.node() instanceof TermExpr te && !e.negated() && e.withs().isEmpty() && !isOutputCall(te.term())) {
            // a top-level term gives its value, even false (as opa eval shows it)
            return evalTerm(te.term(), f, v -> {
                vals[i] = v;
                return qbody(body, i + 1, f, vals, k);
            });
        }
        return evalExpr(e, f, () -> {
            vals[i] = Value.TRUE;
            return qbody(body, i + 1, f, vals, k);
        });
    }

    private boolean isOutputCall(Term t) {
        return t instanceof Call c && c.args() != null && c.args().size() == arity(c.name()) + 1;
    }

    /** Evaluates a term, giving every value it can take. */
    boolean term(Term t, Map<String, Value> f, VK k) {
        return evalTerm(t, f, k);
    }

    // ------------------------------------------------------------------------------------- bodies

    boolean evalBody(List<Expr> body, int i, Map<String, Value> f, K k) {
        if (i == body.size()) {
            return k.run();
        }
        step();
        Expr e = body.get(i);
        if (opts.coverage() != null && e.loc() != null) {
            opts.coverage().accept(e.loc());
        }
        return evalExpr(e, f, () -> evalBody(body, i + 1, f, k));
    }

    private boolean evalExpr(Expr e, Map<String, Value> f, K k) {
        if (!e.withs().isEmpty()) {
            return evalWith(e, f, k);
        }
        return evalExprInner(e, f, k);
    }

    private boolean evalExprInner(Expr e, Map<String, Value> f, K k) {
        if (e.negated()) {
            boolean[] found = {false};
            evalNode(e, f, () -> {
                found[0] = true;
                return true;
            });
            return !found[0] && k.run();
        }
        return evalNode(e, f, k);
    }

    private boolean evalNode(Expr e, Map<String, Value> f, K k) {
        Node n = e.node();
        if (n instanceof TermExpr te) {
            return evalTerm(te.term(), f, v -> !v.equals(Value.FALSE) && k.run());
        }
        if (n instanceof Unify u) {
            return unify(u.left(), u.right(), f, k);
        }
        if (n instanceof SomeDecl) {
            return k.run();
        }
        if (n instanceof SomeIn si) {
            return evalTerm(
                    si.collection(),
                    f,
                    c -> iterate(
                            c,
                            (ck, cv) -> unifyPat(
                                    si.value(),
                                    cv,
                                    f,
                                    () -> si.key() == null ? k.run() : unifyPat(si.key(), ck, f, k))));
        }
        if (n instanceof Every ev) {
            return evalTerm(ev.domain(), f, d -> {
                if (!(d instanceof Value.Arr || d instanceof Value.Obj || d instanceof Value.SetV)) {
                    return false;
                }
                boolean[] failed = {false};
                iterate(d, (ck, cv) -> {
                    boolean[] ok = {false};
                    unifyPat(ev.value(), cv, f, () -> {
                        K body = () -> evalBody(ev.body(), 0, f, () -> {
                            ok[0] = true;
                            return true;
                        });
                        return ev.key() == null ? body.run() : unifyPat(ev.key(), ck, f, body);
                    });
                    if (!ok[0]) {
                        failed[0] = true;
                        return true;
                    }
                    return false;
                });
                return !failed[0] && k.run();
            });
        }
        if (n instanceof NotBody nb) {
            boolean[] found = {false};
            evalBody(nb.body(), 0, f, () -> {
                found[0] = true;
                return true;
            });
            return !found[0] && k.run();
        }
        throw new IllegalStateException("unexpected expression " + n);
    }

    // --------------------------------------------------------------------------------------- with

    private boolean evalWith(Expr e, Map<String, Value> f, K k) {
        List<With> ws = e.withs();
        List<Term> valueTerms = new ArrayList<>();
        for (With w : ws) {
            if (!(w.value() instanceof Call c && c.args() == null)) {
                valueTerms.add(w.value());
            }
        }
        return evalList(valueTerms, 0, new Value[valueTerms.size()], f, vals -> {
            Value input = ctx.input;
            Value data = ctx.data;
            Set<RuleNode> masked = new HashSet<>(ctx.masked);
            Map<String, Object> fns = new HashMap<>(ctx.fnOverrides);
            int vi = 0;
            for (With w : ws) {
                Object val;
                if (w.value() instanceof Call c && c.args() == null) {
                    Object prior = fns.get(c.name());
                    val = prior != null ? prior : c.name();
                } else {
                    val = vals[vi++];
                }
                Term t = w.target();
                if (t instanceof Call c && c.args() == null) {
                    fns.put(c.name(), val);
                    continue;
                }
                if (!(val instanceof Value v)) {
                    continue;
                }
                List<Value> path = new ArrayList<>();
                String root;
                if (t instanceof Var var) {
                    root = var.name();
                } else {
                    Ref r = (Ref) t;
                    root = ((Var) r.head()).name();
                    for (Term p : r.path()) {
                        path.add(((Scalar) p).value());
                    }
                }
                if (root.equals("input")) {
                    input = upsert(input, path, 0, v);
                } else {
                    data = upsert(data, path, 0, v);
                    RuleNode node = ps.root();
                    for (Value p : path) {
                        node = p instanceof Value.Str s ? node.children.get(s.value()) : null;
                        if (node == null) {
                            break;
                        }
                    }
                    if (node != null) {
                        masked.add(node);
                    }
                }
            }
            Ctx saved = ctx;
            Ctx inner = new Ctx(input, data, masked, fns);
            ctx = inner;
            try {
                return evalExprInner(e, f, () -> {
                    ctx = saved;
                    try {
                        return k.run();
                    } finally {
                        ctx = inner;
                    }
                });
            } finally {
                ctx = saved;
            }
        });
    }

    private static Value upsert(Value root, List<Value> path, int i, Value v) {
        if (i == path.size()) {
            return v;
        }
        TreeMap<Value, Value> m = new TreeMap<>();
        if (root instanceof Value.Obj o) {
            m.putAll(o.entries());
        }
        m.put(path.get(i), upsert(m.get(path.get(i)), path, i + 1, v));
        return new Value.Obj(Collections.unmodifiableNavigableMap(m));
    }

    // ---------------------------------------------------------------------------------- unification

    private static boolean isRootVar(String n) {
        return n.equals("input") || n.equals("data");
    }

    private boolean isPattern(Term t, Map<String, Value> f) {
        if (t instanceof Var v) {
            return !isRootVar(v.name()) && !f.containsKey(v.name());
        }
        if (t instanceof ArrayT a) {
            for (Term x : a.items()) {
                if (isPattern(x, f)) {
                    return true;
                }
            }
            return false;
        }
        if (t instanceof ObjectT o) {
            for (Term x : o.values()) {
                if (isPattern(x, f)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean unify(Term a, Term b, Map<String, Value> f, K k) {
        if (!isPattern(a, f)) {
            return evalTerm(a, f, va -> unifyPat(b, va, f, k));
        }
        if (!isPattern(b, f)) {
            return evalTerm(b, f, vb -> unifyPat(a, vb, f, k));
        }
        if (a instanceof ArrayT x && b instanceof ArrayT y) {
            if (x.items().size() != y.items().size()) {
                return false;
            }
            List<Term[]> pairs = new ArrayList<>();
            for (int i = 0; i < x.items().size(); i++) {
                pairs.add(new Term[] {x.items().get(i), y.items().get(i)});
            }
            return unifyPairs(pairs, f, k);
        }
        if (a instanceof ObjectT x && b instanceof ObjectT y) {
            if (x.keys().size() != y.keys().size()) {
                return false;
            }
            List<Term[]> pairs = new ArrayList<>();
            for (int i = 0; i < x.keys().size(); i++) {
                Term kx = x.keys().get(i);
                int j = y.keys().indexOf(kx);
                if (j < 0) {
                    for (int m = 0; m < y.keys().size(); m++) {
                        if (sameScalar(kx, y.keys().get(m))) {
                            j = m;
                        }
                    }
                }
                if (j < 0) {
                    return false;
                }
                pairs.add(new Term[] {x.values().get(i), y.values().get(j)});
            }
            return unifyPairs(pairs, f, k);
        }
        return false;
    }

    private static boolean sameScalar(Term a, Term b) {
        return a instanceof Scalar x && b instanceof Scalar y && x.value().equals(y.value());
    }

    private boolean unifyPairs(List<Term[]> pairs, Map<String, Value> f, K k) {
        if (pairs.isEmpty()) {
            return k.run();
        }
        for (int i = 0; i < pairs.size(); i++) {
            Term[] p = pairs.get(i);
            if (!isPattern(p[0], f)
                    || !isPattern(p[1], f)
                    || (p[0] instanceof ArrayT && p[1] instanceof ArrayT)
                    || (p[0] instanceof ObjectT && p[1] instanceof ObjectT)) {
                List<Term[]> rest = new ArrayList<>(pairs);
                rest.remove(i);
                return unify(p[0], p[1], f, () -> unifyPairs(rest, f, k));
            }
        }
        return false;
    }

    /** Unifies a term (possibly holding unbound vars) with a value. */
    boolean unifyPat(Term p, Value v, Map<String, Value> f, K k) {
        if (p instanceof Var var && !isRootVar(var.name())) {
            Value cur = f.get(var.name());
            if (cur != null) {
                return cur.equals(v) && k.run();
            }
            f.put(var.name(), v);
            try {
                return k.run();
            } finally {
                f.remove(var.name());
            }
        }
        if (p instanceof ArrayT a && isPattern(p, f)) {
            if (!(v instanceof Value.Arr arr) || arr.size() != a.items().size()) {
                return false;
            }
            return unifyItems(a.items(), arr.items(), 0, f, k);
        }
        if (p instanceof ObjectT o && isPattern(p, f)) {
            if (!(v instanceof Value.Obj obj) || obj.size() != o.keys().size()) {
                return false;
            }
            return unifyObj(o, obj, 0, f, k);
        }
        return evalTerm(p, f, pv -> pv.equals(v) && k.run());
    }

    private boolean unifyItems(List<Term> ts, List<Value> vs, int i, Map<String, Value> f, K k) {
        if (i == ts.size()) {
            return k.run();
        }
        return unifyPat(ts.get(i), vs.get(i), f, () -> unifyItems(ts, vs, i + 1, f, k));
    }

    private boolean unifyObj(ObjectT o, Value.Obj obj, int i, Map<String, Value> f, K k) {
        if (i == o.keys().size()) {
            return k.run();
        }
        return evalTerm(o.keys().get(i), f, key -> {
            Value got = obj.get(key);
            return got != null && unifyPat(o.values().get(i), got, f, () -> unifyObj(o, obj, i + 1, f, k));
        });
    }

    // ----------------------------------------------------------------------------------- terms

    interface ArrK {
        boolean run(Value[] vals);
    }

    /** Evaluates call arguments, refs and composites first (they may bind vars), plain vars last. */
    private boolean evalArgs(List<Term> args, int n, Map<String, Value> f, ArrK k) {
        int[] order = new int[n];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (!(args.get(i) instanceof Var)) {
                order[j++] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (args.get(i) instanceof Var) {
                order[j++] = i;
            }
        }
        return evalOrdered(args, order, 0, new Value[n], f, k);
    }

    private boolean evalOrdered(List<Term> ts, int[] order, int i, Value[] acc, Map<String, Value> f, ArrK k) {
        if (i == order.length) {
            return k.run(acc);
        }
        return evalTerm(ts.get(order[i]), f, v -> {
            acc[order[i]] = v;
            return evalOrdered(ts, order, i + 1, acc, f, k);
        });
    }

    private boolean evalList(List<Term> ts, int i, Value[] acc, Map<String, Value> f, ArrK k) {
        if (i == ts.size()) {
            return k.run(acc);
        }
        return evalTerm(ts.get(i), f, v -> {
            acc[i] = v;
            return evalList(ts, i + 1, acc, f, k);
        });
    }

    private boolean evalTerm(Term t, Map<String, Value> f, VK k) {
        if (t instanceof Scalar s) {
            return k.run(s.value());
        }
        if (t instanceof Var v) {
            String n = v.name();
            if (n.equals("input")) {
                return ctx.input != null && k.run(ctx.input);
            }
            if (n.equals("data")) {
                Value d = docOf(ps.root(), ctx.data);
                return d != null && k.run(d);
            }
            Value b = f.get(n);
            return b != null && k.run(b);
        }
        if (t instanceof Ref r) {
            return evalRef(r, f, k);
        }
        if (t instanceof ArrayT a) {
            return evalList(a.items(), 0, new Value[a.items().size()], f, vals -> k.run(new Value.Arr(List.of(vals))));
        }
        if (t instanceof SetT s) {
            return evalList(s.items(), 0, new Value[s.items().size()], f, vals -> k.run(Value.set(vals)));
        }
        if (t instanceof ObjectT o) {
            List<Term> all = new ArrayList<>(o.keys());
            all.addAll(o.values());
            int n = o.keys().size();
            return evalList(all, 0, new Value[all.size()], f, vals -> {
                TreeMap<Value, Value> m = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(vals[i], vals[n + i]);
                }
                return k.run(new Value.Obj(Collections.unmodifiableNavigableMap(m)));
            });
        }
        if (t instanceof ArrayCompr c) {
            List<Value> out = new ArrayList<>();
            evalBody(
                    c.body(),
                    0,
                    f,
                    () -> evalTerm(c.head(), f, hv -> {
                        out.add(hv);
                        return false;
                    }));
            return k.run(new Value.Arr(Collections.unmodifiableList(out)));
        }
        if (t instanceof SetCompr c) {
            TreeSet<Value> out = new TreeSet<>();
            evalBody(
                    c.body(),
                    0,
                    f,
                    () -> evalTerm(c.head(), f, hv -> {
                        out.add(hv);
                        return false;
                    }));
            return k.run(new Value.SetV(Collections.unmodifiableNavigableSet(out)));
        }
        if (t instanceof ObjectCompr c) {
            TreeMap<Value, Value> out = new TreeMap<>();
            evalBody(
                    c.body(),
                    0,
                    f,
                    () -> evalTerm(
                            c.key(),
                            f,
                            kv -> evalTerm(c.value(), f, vv -> {
                                Value prev = out.put(kv, vv);
                                if (prev != null && !prev.equals(vv)) {
                                    throw RegoException.eval(
                                            "eval_conflict_error", "object keys must be unique", c.loc());
                                }
                                return false;
                            })));
            return k.run(new Value.Obj(Collections.unmodifiableNavigableMap(out)));
        }
        return evalCall((Call) t, f, k);
    }

    private boolean evalRef(Ref r, Map<String, Value> f, VK k) {
        if (r.head() instanceof Var v) {
            if (v.name().equals("data")) {
                return evalData(ps.root(), ctx.data, r.path(), 0, f, k);
            }
            if (v.name().equals("input")) {
                return ctx.input != null && walk(ctx.input, r.path(), 0, f, k);
            }
        }
        return evalTerm(r.head(), f, hv -> walk(hv, r.path(), 0, f, k));
    }

    private boolean walk(Value cur, List<Term> path, int i, Map<String, Value> f, VK k) {
        return walk(cur, path, i, f, false, k);
    }

    private boolean walk(Value cur, List<Term> path, int i, Map<String, Value> f, boolean base, VK k) {
        if (i == path.size()) {
            return k.run(cur);
        }
        Term p = path.get(i);
        if (!isPattern(p, f)) {
            return evalTerm(p, f, key -> {
                Value nx = base ? lookupBase(cur, key) : lookup(cur, key);
                return nx != null && walk(nx, path, i + 1, f, base, k);
            });
        }
        return iterate(cur, (ck, cv) -> unifyPat(p, ck, f, () -> walk(cv, path, i + 1, f, base, k)));
    }

    static Value lookup(Value cur, Value key) {
        if (cur instanceof Value.Obj o) {
            return o.get(key);
        }
        return lookupSeq(cur, key);
    }

    /** Lookup in base data: numbers also find string keys, as OPA's store does. */
    static Value lookupBase(Value cur, Value key) {
        if (cur instanceof Value.Obj o) {
            Value v = o.get(key);
            if (v == null && key instanceof Value.Num n) {
                v = o.get(Value.str(n.toString()));
            }
            return v;
        }
        return lookupSeq(cur, key);
    }

    private static Value lookupSeq(Value cur, Value key) {
        if (cur instanceof Value.Arr a) {
            if (key instanceof Value.Num n) {
                Integer i = n.intValueExact();
                if (i != null && i >= 0 && i < a.size()) {
                    return a.get(i);
                }
            }
            return null;
        }
        if (cur instanceof Value.SetV s) {
            return s.contains(key) ? key : null;
        }
        return null;
    }

    private boolean iterate(Value coll, KV k) {
        if (coll instanceof Value.Arr a) {
            for (int i = 0; i < a.size(); i++) {
                step();
                if (k.run(Value.num(i), a.get(i))) {
                    return true;
                }
            }
        } else if (coll instanceof Value.Obj o) {
            for (var e : o.entries().entrySet()) {
                step();
                if (k.run(e.getKey(), e.getValue())) {
                    return true;
                }
            }
        } else if (coll instanceof Value.SetV s) {
            for (Value x : s.items()) {
                step();
                if (k.run(x, x)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------- virtual docs

    private boolean evalData(RuleNode node, Value base, List<Term> path, int i, Map<String, Value> f, VK k) {
        if (node.hasRules() || node.isFunction() || node.children.isEmpty() || ctx.masked.contains(node)) {
            Value doc = docOf(node, base);
            return doc != null && walk(doc, path, i, f, k);
        }
        if (i == path.size() || isPattern(path.get(i), f)) {
            Value doc = docOf(node, base);
            return doc != null && walk(doc, path, i, f, k);
        }
        return evalTerm(path.get(i), f, key -> {
            Value nb = base == null ? null : lookupBase(base, key);
            RuleNode child = key instanceof Value.Str s ? node.children.get(s.value()) : null;
            if (child == null) {
                return nb != null && walk(nb, path, i + 1, f, true, k);
            }
            return evalData(child, nb, path, i + 1, f, k);
        });
    }

    /** The value of the document at a node: base data merged with the rules at and below it. */
    Value docOf(RuleNode node, Value base) {
        if (ctx.masked.contains(node)) {
            return base;
        }
        if (node.isFunction()) {
            return null;
        }
        if (!node.hasRules() && node.children.isEmpty()) {
            return node.isPackage && !(base instanceof Value.Obj) ? Value.EMPTY_OBJECT : base;
        }
        Object m = ctx.memo.get(node);
        if (m != null) {
            return m == UNDEFINED ? null : (Value) m;
        }
        Ctx c = ctx;
        if (!c.inProgress.add(node)) {
            throw RegoException.eval("rego_recursion_error", "rule " + node.name() + " is recursive", null);
        }
        enter();
        Value v;
        try {
            v = computeDoc(node, base);
        } finally {
            depth--;
            c.inProgress.remove(node);
        }
        c.memo.put(node, v == null ? UNDEFINED : v);
        return v;
    }

    private Value computeDoc(RuleNode node, Value base) {
        List<CRule> complete = new ArrayList<>();
        List<CRule> partial = new ArrayList<>();
        boolean setOnly = true;
        boolean anyComplete = false;
        boolean anyPartial = false;
        // The kind of document comes from every rule; only the rules the index leaves can add to it.
        for (CRule r : node.rules) {
            if (r.suffix.isEmpty() && r.kind == RuleKind.VALUE) {
                anyComplete = true;
            } else {
                anyPartial = true;
                if (!(r.suffix.isEmpty() && r.kind == RuleKind.CONTAINS)) {
                    setOnly = false;
                }
            }
        }
        for (CRule r : node.candidates(ctx.input)) {
            if (r.suffix.isEmpty() && r.kind == RuleKind.VALUE) {
                complete.add(r);
            } else {
                partial.add(r);
            }
        }
        if (anyComplete || node.defaultRule != null) {
            return evalComplete(node, complete);
        }
        if (anyPartial && setOnly && node.children.isEmpty()) {
            TreeSet<Value> out = new TreeSet<>();
            for (CRule r : partial) {
                Map<String, Value> f = new HashMap<>();
                evalBody(
                        r.body,
                        0,
                        f,
                        () -> evalTerm(r.value, f, v -> {
                            out.add(v);
                            return false;
                        }));
            }
            return new Value.SetV(Collections.unmodifiableNavigableSet(out));
        }
        if (!anyPartial && base != null && !(base instanceof Value.Obj)) {
            return base;
        }
        DocBuilder b = new DocBuilder();
        for (CRule r : partial) {
            Map<String, Value> f = new HashMap<>();
            evalBody(
                    r.body,
                    0,
                    f,
                    () -> evalList(
                            r.suffix,
                            0,
                            new Value[r.suffix.size()],
                            f,
                            keys -> evalTerm(r.value, f, v -> {
                                b.insert(List.of(keys), v, r.kind == RuleKind.CONTAINS, r.src.loc());
                                return false;
                            })));
        }
        for (var e : node.children.entrySet()) {
            Value key = Value.str(e.getKey());
            Value cd = docOf(e.getValue(), base == null ? null : lookup(base, key));
            if (cd != null) {
                b.merge(b.root, key, cd, firstLoc(e.getValue()));
            }
        }
        Value virtual = b.build(b.root);
        return base instanceof Value.Obj ? mergeBase(virtual, base) : virtual;
    }

    /** Merges base data over a virtual document: objects merge key by key, base wins elsewhere. */
    private static Value mergeBase(Value virtual, Value base) {
        if (virtual instanceof Value.Obj v && base instanceof Value.Obj o) {
            TreeMap<Value, Value> m = new TreeMap<>(v.entries());
            for (var e : o.entries().entrySet()) {
                Value cur = m.get(e.getKey());
                m.put(e.getKey(), cur == null ? e.getValue() : mergeBase(cur, e.getValue()));
            }
            return new Value.Obj(Collections.unmodifiableNavigableMap(m));
        }
        return base;
    }

    private static Loc firstLoc(RuleNode n) {
        if (!n.rules.isEmpty()) {
            return n.rules.get(0).src.loc();
        }
        for (RuleNode c : n.children.values()) {
            Loc l = firstLoc(c);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    private Value evalComplete(RuleNode node, List<CRule> rules) {
        Value[] result = {null};
        for (CRule r : rules) {
            evalChain(r, v -> {
                if (result[0] == null) {
                    result[0] = v;
                } else if (!result[0].equals(v)) {
                    throw RegoException.eval(
                            "eval_conflict_error", "complete rules must not produce multiple outputs", r.src.loc());
                }
            });
        }
        if (result[0] == null && node.defaultRule != null) {
            Map<String, Value> f = new HashMap<>();
            evalTerm(node.defaultRule.value, f, v -> {
                result[0] = v;
                return true;
            });
        }
        return result[0];
    }

    interface ValueSink {
        void accept(Value v);
    }

    private void evalChain(CRule r, ValueSink sink) {
        for (CRule c = r; c != null; c = c.elseRule) {
            boolean[] found = {false};
            boolean constant = isGround(c.value);
            Map<String, Value> f = new HashMap<>();
            CRule cur = c;
            evalBody(
                    c.body,
                    0,
                    f,
                    () -> evalTerm(cur.value, f, v -> {
                        found[0] = true;
                        sink.accept(v);
                        return constant;
                    }));
            if (found[0]) {
                return;
            }
        }
    }

    private static boolean isGround(Term t) {
        if (t instanceof Scalar) {
            return true;
        }
        if (t instanceof ArrayT a) {
            return a.items().stream().allMatch(Evaluator::isGround);
        }
        if (t instanceof SetT s) {
            return s.items().stream().allMatch(Evaluator::isGround);
        }
        if (t instanceof ObjectT o) {
            return o.keys().stream().allMatch(Evaluator::isGround)
                    && o.values().stream().allMatch(Evaluator::isGround);
        }
        return false;
    }

    // ------------------------------------------------------------------------------------- calls

    /** {@code print(...)}: any number of arguments; an undefined one prints as {@code <undefined>}. */
    private boolean print(Call c, Map<String, Value> f) {
        String line = render(c, f, " ", false);
        if (opts.printer() != null) {
            opts.printer().accept(line);
        }
        return true;
    }

    /** The arguments' first values joined: strings as they are, other values as Rego terms. */
    private String render(Call c, Map<String, Value> f, String sep, boolean regoText) {
        StringBuilder sb = new StringBuilder();
        boolean firstArg = true;
        for (Term a : c.args()) {
            Value[] first = {null};
            evalTerm(a, f, v -> {
                first[0] = v;
                return true;
            });
            if (!firstArg) {
                sb.append(sep);
            }
            firstArg = false;
            sb.append(
                    first[0] == null
                            ? "<undefined>"
                            : first[0] instanceof Value.Str s
                                    ? s.value()
                                    : regoText
                                            ? dev.hallpass.policy.rego.builtins.RegoText.of(first[0])
                                            : first[0].toString());
        }
        return sb.toString();
    }

    private int arity(String name) {
        if (name.startsWith("data.")) {
            RuleNode n = ps.findNode(name);
            return n == null ? -1 : n.arity;
        }
        Builtin b = ps.builtins().get(name);
        return b == null ? -1 : b.arity();
    }

    private boolean evalCall(Call c, Map<String, Value> f, VK k) {
        if (c.args() == null) {
            return false;
        }
        if (c.name().equals("print") && !ps.builtins().containsKey("print")) {
            return print(c, f) && k.run(Value.TRUE);
        }
        if (c.name().equals(Parser.TEMPLATE_STRING)) {
            return k.run(Value.str(render(c, f, "", true)));
        }
        int ar = arity(c.name());
        if (ar < 0) {
            ar = c.args().size();
        }
        int n = Math.min(ar, c.args().size());
        boolean output = c.args().size() == ar + 1;
        return evalArgs(
                c.args(),
                n,
                f,
                vals -> invoke(
                        c.name(),
                        List.of(vals),
                        c.loc(),
                        0,
                        r -> output ? unifyPat(c.args().get(n), r, f, () -> k.run(Value.TRUE)) : k.run(r)));
    }

    private boolean invoke(String name, List<Value> args, Loc loc, int hops, VK k) {
        Object ov = ctx.fnOverrides.get(name);
        if (ov instanceof Value v) {
            return k.run(v);
        }
        if (ov instanceof String target && hops < 8 && !target.equals(name)) {
            if (target.startsWith("data.")) {
                Ctx saved = ctx;
                ctx = new Ctx(saved.input, saved.data, saved.masked, Map.of());
                Value r;
                try {
                    r = computeFunction(ps.findNode(target), args);
                } finally {
                    ctx = saved;
                }
                return r != null && k.run(r);
            }
            name = target;
        }
        if (name.startsWith("data.")) {
            Value r = computeFunction(ps.findNode(name), args);
            return r != null && k.run(r);
        }
        Builtin b = ps.builtins().get(name);
        if (b == null) {
            throw RegoException.eval("eval_type_error", "undefined function " + name, loc);
        }
        Value r;
        try {
            r = b.impl().call(this, args);
        } catch (BuiltinException e) {
            if (e.halts()) {
                throw RegoException.eval(e.code(), e.getMessage(), loc);
            }
            if (opts.strictBuiltinErrors() && strictError == null) {
                strictError = RegoException.eval(e.code(), e.getMessage(), loc);
            }
            return false;
        } catch (BudgetExceededException | RegoException e) {
            throw e;
        } catch (RuntimeException e) {
            if (opts.strictBuiltinErrors() && strictError == null) {
                strictError = RegoException.eval("eval_builtin_error", name + ": " + e.getMessage(), loc);
            }
            return false;
        }
        if (r == null) {
            return false;
        }
        if (b.relation() && r instanceof Value.Arr all) {
            for (Value x : all.items()) {
                if (k.run(x)) {
                    return true;
                }
            }
            return false;
        }
        return k.run(r);
    }

    private Value computeFunction(RuleNode node, List<Value> args) {
        if (node == null) {
            return null;
        }
        List<Object> key = new ArrayList<>(args.size() + 1);
        key.add(node);
        key.addAll(args);
        Object memo = ctx.fnMemo.get(key);
        if (memo != null) {
            return memo == UNDEFINED ? null : (Value) memo;
        }
        enter();
        Value[] result = {null};
        try {
            for (CRule r : node.functions) {
                for (CRule c = r; c != null; c = c.elseRule) {
                    boolean[] found = {false};
                    Map<String, Value> f = new HashMap<>();
                    CRule cur = c;
                    boolean constant = isGround(c.value);
                    unifyItems(
                            c.args,
                            args,
                            0,
                            f,
                            () -> evalBody(
                                    cur.body,
                                    0,
                                    f,
                                    () -> evalTerm(cur.value, f, v -> {
                                        found[0] = true;
                                        if (result[0] == null) {
                                            result[0] = v;
                                        } else if (!result[0].equals(v)) {
                                            throw RegoException.eval(
                                                    "eval_conflict_error",
                                                    "functions must not produce multiple outputs for same inputs",
                                                    cur.src.loc());
                                        }
                                        return constant;
                                    })));
                    if (found[0]) {
                        break;
                    }
                }
            }
            if (result[0] == null && node.defaultFunction != null) {
                Map<String, Value> f = new HashMap<>();
                evalTerm(node.defaultFunction.value, f, v -> {
                    result[0] = v;
                    return true;
                });
            }
        } finally {
            depth--;
        }
        ctx.fnMemo.put(key, result[0] == null ? UNDEFINED : result[0]);
        return result[0];
    }

    // ---------------------------------------------------------------------------------- builder

    private record Leaf(Value v) {}

    private static final class SetLeaf {
        final TreeSet<Value> items = new TreeSet<>();
    }

    /** Builds an object from rule outputs, detecting conflicting keys. */
    private static final class DocBuilder {
        final TreeMap<Value, Object> root = new TreeMap<>();

        void insert(List<Value> keys, Value v, boolean isSet, Loc loc) {
            if (keys.isEmpty()) {
                throw conflict(loc);
            }
            TreeMap<Value, Object> cur = root;
            for (int i = 0; i < keys.size() - 1; i++) {
                Object o = cur.get(keys.get(i));
                if (o == null) {
                    TreeMap<Value, Object> nm = new TreeMap<>();
                    cur.put(keys.get(i), nm);
                    cur = nm;
                } else if (o instanceof TreeMap<?, ?> tm) {
                    @SuppressWarnings("unchecked")
                    TreeMap<Value, Object> next = (TreeMap<Value, Object>) tm;
                    cur = next;
                } else {
                    throw conflict(loc);
                }
            }
            Value last = keys.get(keys.size() - 1);
            Object existing = cur.get(last);
            if (isSet) {
                if (existing == null) {
                    SetLeaf s = new SetLeaf();
                    s.items.add(v);
                    cur.put(last, s);
                } else if (existing instanceof SetLeaf s) {
                    s.items.add(v);
                } else {
                    throw conflict(loc);
                }
            } else if (existing == null) {
                cur.put(last, new Leaf(v));
            } else if (!(existing instanceof Leaf l && l.v().equals(v))) {
                throw conflict(loc);
            }
        }

        void merge(TreeMap<Value, Object> into, Value key, Value v, Loc loc) {
            Object existing = into.get(key);
            if (existing == null) {
                into.put(key, new Leaf(v));
            } else if (existing instanceof Leaf l) {
                if (!l.v().equals(v)) {
                    throw conflict(loc);
                }
            } else if (existing instanceof SetLeaf s) {
                if (!(v instanceof Value.SetV sv)) {
                    throw conflict(loc);
                }
                s.items.addAll(sv.items());
            } else {
                if (!(v instanceof Value.Obj o)) {
                    throw conflict(loc);
                }
                @SuppressWarnings("unchecked")
                TreeMap<Value, Object> sub = (TreeMap<Value, Object>) existing;
                for (var e : o.entries().entrySet()) {
                    merge(sub, e.getKey(), e.getValue(), loc);
                }
            }
        }

        static RegoException conflict(Loc loc) {
            return RegoException.eval("eval_conflict_error", "object keys must be unique", loc);
        }

        Value build(TreeMap<Value, Object> m) {
            TreeMap<Value, Value> out = new TreeMap<>();
            for (var e : m.entrySet()) {
                Object o = e.getValue();
                Value v;
                if (o instanceof Leaf l) {
                    v = l.v();
                } else if (o instanceof SetLeaf s) {
                    v = new Value.SetV(Collections.unmodifiableNavigableSet(s.items));
                } else {
                    @SuppressWarnings("unchecked")
                    TreeMap<Value, Object> sub = (TreeMap<Value, Object>) o;
                    v = build(sub);
                }
                out.put(e.getKey(), v);
            }
            return new Value.Obj(Collections.unmodifiableNavigableMap(out));
        }
    }
}
