package dev.hallpass.policy.rego;

/** Evaluation ran past its step, depth or time budget. Never caught by the evaluator's backtracking. */
public final class BudgetExceededException extends RuntimeException {
    public BudgetExceededException(String message) {
        super(message, null, false, false);
    }
}
