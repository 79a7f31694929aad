package dev.hallpass.policy.rego;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Limits and switches for one evaluation.
 *
 * @param maxSteps evaluation steps (expressions, iterations, calls) before {@link BudgetExceededException}
 * @param maxDepth nesting of rule and function evaluations
 * @param timeBudget wall-clock budget of one query
 * @param strictBuiltinErrors report the first built-in error instead of treating the call as undefined
 * @param nowNs the value of {@code time.now_ns()}, or null for the current time
 * @param printer receives the lines {@code print(...)} writes; null drops them
 * @param coverage receives the location of every expression evaluated (for {@code policy test
 *     --coverage}); null records nothing
 */
public record EvalOptions(
        long maxSteps,
        int maxDepth,
        Duration timeBudget,
        boolean strictBuiltinErrors,
        Long nowNs,
        Consumer<String> printer,
        Consumer<Ast.Loc> coverage) {

    public EvalOptions(
            long maxSteps,
            int maxDepth,
            Duration timeBudget,
            boolean strictBuiltinErrors,
            Long nowNs,
            Consumer<String> printer) {
        this(maxSteps, maxDepth, timeBudget, strictBuiltinErrors, nowNs, printer, null);
    }

    /** 5 million steps, depth 400, 1 second, non-strict built-in errors, print output dropped. */
    public static final EvalOptions DEFAULT = new EvalOptions(5_000_000, 400, Duration.ofSeconds(1), false, null, null);

    public EvalOptions withStrict(boolean strict) {
        return new EvalOptions(maxSteps, maxDepth, timeBudget, strict, nowNs, printer, coverage);
    }

    public EvalOptions withMaxSteps(long steps) {
        return new EvalOptions(steps, maxDepth, timeBudget, strictBuiltinErrors, nowNs, printer, coverage);
    }

    public EvalOptions withMaxDepth(int depth) {
        return new EvalOptions(maxSteps, depth, timeBudget, strictBuiltinErrors, nowNs, printer, coverage);
    }

    public EvalOptions withTimeBudget(Duration budget) {
        return new EvalOptions(maxSteps, maxDepth, budget, strictBuiltinErrors, nowNs, printer, coverage);
    }

    public EvalOptions withNowNs(Long now) {
        return new EvalOptions(maxSteps, maxDepth, timeBudget, strictBuiltinErrors, now, printer, coverage);
    }

    public EvalOptions withPrinter(Consumer<String> out) {
        return new EvalOptions(maxSteps, maxDepth, timeBudget, strictBuiltinErrors, nowNs, out, coverage);
    }

    public EvalOptions withCoverage(Consumer<Ast.Loc> sink) {
        return new EvalOptions(maxSteps, maxDepth, timeBudget, strictBuiltinErrors, nowNs, printer, sink);
    }
}
