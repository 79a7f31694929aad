package dev.hallpass.policy.rego;

import java.time.Duration;

/**
 * Limits and switches for one evaluation.
 *
 * @param maxSteps evaluation steps (expressions, iterations, calls) before {@link BudgetExceededException}
 * @param maxDepth nesting of rule and function evaluations
 * @param timeBudget wall-clock budget of one query
 * @param strictBuiltinErrors report the first built-in error instead of treating the call as undefined
 * @param nowNs the value of {@code time.now_ns()}, or null for the current time
 */
public record EvalOptions(long maxSteps, int maxDepth, Duration timeBudget, boolean strictBuiltinErrors, Long nowNs) {

    public static final EvalOptions DEFAULT = new EvalOptions(5_000_000, 400, Duration.ofSeconds(1), false, null);

    public EvalOptions withStrict(boolean strict) {
        return new EvalOptions(maxSteps, maxDepth, timeBudget, strict, nowNs);
    }

    public EvalOptions withMaxSteps(long steps) {
        return new EvalOptions(steps, maxDepth, timeBudget, strictBuiltinErrors, nowNs);
    }

    public EvalOptions withMaxDepth(int depth) {
        return new EvalOptions(maxSteps, depth, timeBudget, strictBuiltinErrors, nowNs);
    }

    public EvalOptions withTimeBudget(Duration budget) {
        return new EvalOptions(maxSteps, maxDepth, budget, strictBuiltinErrors, nowNs);
    }
}
