/**
 * OPA's built-in functions for the Rego interpreter; {@link dev.hallpass.policy.rego.builtins.Builtins#standard()}
 * is the entry point.
 *
 * <p>Go semantics that OPA inherits are reproduced here: {@code regex.*} translates RE2 syntax to
 * java.util.regex ({@code Re2}), {@code sprintf} follows Go's fmt ({@code Sprintf}), {@code time.*}
 * follows Go's layouts and durations ({@code GoTime}), {@code net.cidr_*} follows Go's net package
 * ({@code Net}) and {@code glob.match} follows gobwas/glob ({@code Glob}). Strings count code points, as
 * Go counts runes.
 *
 * <p>Errors: type errors are {@code eval_type_error} with OPA's wording ("name: operand 1 must be string
 * but got number"); other failures are {@code eval_builtin_error}. Any unexpected exception inside a
 * built-in is reported as a built-in error rather than escaping to the evaluator.
 */
package dev.hallpass.policy.rego.builtins;
