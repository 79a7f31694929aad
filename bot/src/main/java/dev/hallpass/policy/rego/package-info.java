/**
 * An embedded, pure-Java interpreter for Rego v1 (the Open Policy Agent policy language).
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * PolicySet policies = new RegoCompiler()
 *         .addModule("access.rego", source)          // as many modules as needed
 *         .addBuiltin(Builtin.function("hallpass.x", 1, (ctx, args) -> ...))   // optional
 *         .compile();                                 // parse + compile once; immutable, thread-safe
 *
 * Optional<Value> decision = policies.evalRef("data.hallpass.access.decision", input, data);
 * List<PolicySet.Result> rs = policies.evalQuery("data.x.allow[k] = v", input, data, EvalOptions.DEFAULT);
 * Value term = Rego.parseValue("{\"a\": {1, 2}}");   // Rego term source, sets allowed
 * }</pre>
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link dev.hallpass.policy.rego.Parser}: lexer and recursive-descent parser to the {@link
 *       dev.hallpass.policy.rego.Ast} (comments are kept for {@code # METADATA}).
 *   <li>{@link dev.hallpass.policy.rego.RegoCompiler}: name resolution (imports, package rules, built-ins),
 *       renaming of declared variables, safety analysis with body reordering, rule tree indexed by path,
 *       recursion, arity and conflict checks (including ref-head conflicts), constant type checks of
 *       common built-ins, folding of constant literals, and {@code # METADATA} annotations ({@code
 *       Annotations}) that replace {@code rego.metadata.rule()/chain()} calls. A call of a built-in that
 *       is declared but not implemented is {@code rego_unsupported_builtin_error}. Errors read like OPA's:
 *       {@code file:row:col: code: message}.
 *   <li>{@code Evaluator}: top-down evaluation with backtracking and unification in continuation-passing
 *       style, virtual documents merged with base data, per-evaluation memoization, an equality index of
 *       rules on {@code input.path == const} ({@code RuleNode}), {@code with}, strict
 *       and non-strict built-in errors, and step/depth/time budgets ({@link
 *       dev.hallpass.policy.rego.EvalOptions}) that end in {@link
 *       dev.hallpass.policy.rego.BudgetExceededException}.
 * </ul>
 *
 * <p>Built-in functions come from {@code dev.hallpass.policy.rego.builtins.Builtins.standard()}, under their
 * Rego names and OPA's operator names ({@code plus}, {@code equal}, {@code and}, ...). {@code print} and the
 * {@code in} operator ({@code internal.member_2/3}) are provided by the engine when the map lacks them.
 */
package dev.hallpass.policy.rego;
