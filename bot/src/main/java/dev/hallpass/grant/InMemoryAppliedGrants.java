package dev.hallpass.grant;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Applied state kept in memory: lost on restart, so for tests and one-shot runs only. */
public final class InMemoryAppliedGrants implements AppliedGrants {
    private final Map<LeaseKey, AppliedGrant> entries = new ConcurrentHashMap<>();

    @Override
    public Map<LeaseKey, AppliedGrant> snapshot() {
        return Map.copyOf(entries);
    }

    @Override
    public Optional<AppliedGrant> get(LeaseKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(AppliedGrant entry) {
        entries.put(entry.key(), entry);
    }

    @Override
    public void remove(LeaseKey key) {
        entries.remove(key);
    }
}
