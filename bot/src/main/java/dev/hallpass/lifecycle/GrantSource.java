package dev.hallpass.lifecycle;

import dev.hallpass.grant.Grant;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Problem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The grants that git says exist: every {@code requests/<id>.yaml} on the default branch's head. A grant
 * starts at the request's {@code start}, else when its file reached the default branch (the merge); it
 * expires its current duration after that, so an extension moves the expiry and never the start.
 *
 * <p>Reading failures (network, missing branch) throw: an empty answer would revoke everything.
 */
public interface GrantSource {
    Snapshot snapshot();

    default List<Grant> grants() {
        return snapshot().grants();
    }

    /**
     * The grants at one commit of the default branch.
     *
     * @param problems requests that are not granted, and why (plus repository-wide problems)
     * @param catalog the catalog at that commit, for who may revoke a grant
     */
    record Snapshot(String headSha, List<Grant> grants, List<Problem> problems, Optional<Catalog> catalog) {
        public Snapshot {
            Objects.requireNonNull(headSha, "headSha");
            grants = List.copyOf(grants);
            problems = List.copyOf(problems);
            Objects.requireNonNull(catalog, "catalog");
        }
    }
}
