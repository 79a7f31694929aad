package dev.hallpass.policy.rego;

import java.util.Map;

/** What a built-in may see of the evaluation it runs in. One instance per query evaluation. */
public interface BuiltinContext {

    /** {@code time.now_ns()}: one value for the whole evaluation. */
    long nowNs();

    /** A cache that lives as long as the evaluation (e.g. {@code uuid.rfc4122(k)} returns one UUID per k). */
    Map<Object, Object> cache();

    /**
     * Throws {@link BudgetExceededException} when the evaluation ran out of its step or time budget.
     * Built-ins that loop over caller-controlled sizes call it as they go.
     */
    void checkBudget();
}
