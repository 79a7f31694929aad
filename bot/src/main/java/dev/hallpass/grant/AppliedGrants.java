package dev.hallpass.grant;

import java.util.Map;
import java.util.Optional;

/**
 * The actual state as Hallpass knows it: what it applied and has not revoked yet. Written before a
 * provider is called (and confirmed after), so a crash in between leaves a trace that makes the next
 * reconcile finish the job. Must be durable in production; {@link InMemoryAppliedGrants} is for tests.
 */
public interface AppliedGrants {
    Map<LeaseKey, AppliedGrant> snapshot();

    Optional<AppliedGrant> get(LeaseKey key);

    void put(AppliedGrant entry);

    void remove(LeaseKey key);
}
