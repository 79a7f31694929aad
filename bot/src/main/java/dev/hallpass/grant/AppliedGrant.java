package dev.hallpass.grant;

import java.util.Objects;

/**
 * What Hallpass has done, or set out to do, for one lease key.
 *
 * @param grant the lease last applied (or being applied) for the key; revoked with this one
 * @param confirmed whether the provider confirmed the apply; an unconfirmed entry is applied again, and is
 *     still revoked when its access ends, since the apply may have taken effect before a crash
 * @param preExisting the person had the target before Hallpass touched it (standing access): Hallpass
 *     neither applies it nor revokes it
 */
public record AppliedGrant(Grant grant, boolean confirmed, boolean preExisting) {
    public AppliedGrant {
        Objects.requireNonNull(grant, "grant");
    }

    public LeaseKey key() {
        return grant.key();
    }
}
