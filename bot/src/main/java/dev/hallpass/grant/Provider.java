package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;

/**
 * Applies and revokes grants on one target system. Every call is idempotent, so the executor can retry it
 * and repeat it after a crash: applying what is applied and revoking what is absent succeed as no-ops.
 * Failures are returned as {@link Outcome#ok()} false where the provider can describe them; an unexpected
 * exception is treated the same way by the executor.
 */
public interface Provider {
    ProviderName name();

    /** Gives {@code grant.person()} the target, and sets native expiry where the target has it. */
    Outcome apply(Grant grant, boolean dryRun);

    /** Takes the target away from {@code grant.person()}, and ends what it left running where possible. */
    Outcome revoke(Grant grant, boolean dryRun);

    /** Whether {@code person} has {@code target} directly, as this provider would have granted it. */
    Presence verify(Login person, String target);

    /** Verify with the whole grant at hand, for providers that need more than person and target. */
    default Presence verify(Grant grant) {
        return verify(grant.person(), grant.target());
    }
}
