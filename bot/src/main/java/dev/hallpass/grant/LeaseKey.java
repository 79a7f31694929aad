package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.util.Comparator;
import java.util.Objects;

/**
 * What a grant is a lease on: one person's access to one target of one provider. Several grants may hold
 * leases on the same key at once; the access ends only when the last of them ends.
 */
public record LeaseKey(Login person, ProviderName provider, String target) implements Comparable<LeaseKey> {
    private static final Comparator<LeaseKey> ORDER = Comparator.comparing(LeaseKey::provider)
            .thenComparing(LeaseKey::target)
            .thenComparing(LeaseKey::person);

    public LeaseKey {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(target, "target");
    }

    @Override
    public int compareTo(LeaseKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return person + " -> " + provider + ":" + target;
    }
}
