package dev.hallpass.policy.rego;

import dev.hallpass.policy.rego.Ast.Expr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled Rego modules: immutable, thread-safe and reusable. Build one with {@link RegoCompiler}.
 */
public final class PolicySet {
    private final RuleNode root;
    private final Map<String, Builtin> builtins;
    private final List<Ast.RegoModule> modules;
    private final RegoCompiler.Compilation compilation;
    private final Map<String, List<Expr>> queries = new ConcurrentHashMap<>();
    private final Map<String, RuleNode> nodeIndex = new ConcurrentHashMap<>();

    PolicySet(RegoCompiler.Compilation compilation) {
        this.compilation = compilation;
        this.root = compilation.root;
        this.builtins = compilation.builtins;
        this.modules = List.copyOf(compilation.modules);
        indexNodes(root);
        root.buildIndex();
    }

    private void indexNodes(RuleNode n) {
        nodeIndex.put(n.name(), n);
        n.children.values().forEach(this::indexNodes);
    }

    RuleNode root() {
        return root;
    }

    Map<String, Builtin> builtins() {
        return builtins;
    }

    RuleNode findNode(String dotted) {
        return nodeIndex.get(dotted);
    }

    /** The parsed modules (with comments, for reading {@code # METADATA} annotations). */
    public List<Ast.RegoModule> modules() {
        return modules;
    }

    /** One solution of a query: its variable bindings and the value of each query expression. */
    public record Result(Map<String, Value> bindings, List<Value> expressions) {}

    /** Compiles a query once; later calls reuse it. */
    List<Expr> compiledQuery(String query) {
        List<Expr> q = queries.get(query);
        if (q == null) {
            synchronized (compilation) {
                q = compilation.compileQuery(Parser.parseQuery(query));
            }
            if (queries.size() < 10_000) {
                queries.put(query, q);
            }
        }
        return q;
    }

    public List<Result> evalQuery(String query, Value input, Value data) {
        return evalQuery(query, input, data, EvalOptions.DEFAULT);
    }

    /**
     * Evaluates a query and returns every solution. An undefined query gives an empty list.
     *
     * @param input the input document, or null when there is none
     * @param data the base document, or null for an empty one
     * @throws RegoException on parse, compile and evaluation errors (code in {@link RegoException#code()})
     * @throws BudgetExceededException when the evaluation runs out of its budget
     */
    public List<Result> evalQuery(String query, Value input, Value data, EvalOptions options) {
        List<Expr> body = compiledQuery(query);
        Evaluator ev = new Evaluator(this, input, data, options);
        List<Result> out = new ArrayList<>();
        Map<String, Value> frame = new HashMap<>();
        Value[] vals = new Value[body.size()];
        try {
            ev.query(body, frame, vals, () -> {
                Map<String, Value> b = new java.util.TreeMap<>();
                frame.forEach((k, v) -> {
                    if (!k.startsWith("_$")) {
                        b.put(RegoCompiler.Compilation.display(k), v);
                    }
                });
                out.add(new Result(Collections.unmodifiableMap(b), List.of(vals.clone())));
                return false;
            });
        } catch (StackOverflowError e) {
            throw new BudgetExceededException("evaluation exceeded the maximum stack depth");
        }
        if (ev.strictError != null) {
            throw new StrictErrorException(ev.strictError, out);
        }
        return out;
    }

    /** Evaluates a reference such as {@code data.hallpass.access.decision}; empty when undefined. */
    public Optional<Value> evalRef(String ref, Value input, Value data) {
        return evalRef(ref, input, data, EvalOptions.DEFAULT);
    }

    public Optional<Value> evalRef(String ref, Value input, Value data, EvalOptions options) {
        List<Result> rs = evalQuery(ref, input, data, options);
        return rs.isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(rs.get(0).expressions().get(0));
    }

    /** A strict built-in error, carrying the results computed with failed calls undefined. */
    public static final class StrictErrorException extends RegoException {
        private final transient List<Result> results;

        StrictErrorException(RegoException cause, List<Result> results) {
            super(cause.code(), cause.detail(), cause.loc(), false);
            this.results = List.copyOf(results);
        }

        public List<Result> results() {
            return results;
        }
    }
}
