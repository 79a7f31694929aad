package dev.hallpass.grant;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one reconcile did.
 *
 * @param nextCheck when the ledger next changes (a start or an expiry): when to reconcile again at the
 *     latest; failures are best retried sooner
 */
public record ReconcileReport(Instant at, boolean dryRun, List<ExecutionResult> results, Optional<Instant> nextCheck) {
    public ReconcileReport {
        Objects.requireNonNull(at, "at");
        results = List.copyOf(results);
        Objects.requireNonNull(nextCheck, "nextCheck");
    }

    public List<ExecutionResult> failures() {
        return results.stream().filter(r -> !r.ok()).toList();
    }

    public boolean ok() {
        return results.stream().allMatch(ExecutionResult::ok);
    }
}
