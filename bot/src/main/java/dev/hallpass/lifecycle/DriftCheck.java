package dev.hallpass.lifecycle;

import dev.hallpass.grant.AppliedGrant;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.GrantLedger;
import dev.hallpass.grant.LeaseKey;
import dev.hallpass.grant.Presence;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.ReconcileReport;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Login;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what git says must exist with what the targets really hold, through each provider's {@code verify}.
 * Three kinds of drift: access git grants that the target lacks ({@link Kind#MISSING}), access Hallpass applied
 * and should have revoked that the target still has ({@link Kind#LEFT_BEHIND}), and access to a catalog target
 * held by an eligible person with no grant and no record of standing access ({@link Kind#OUT_OF_BAND}).
 *
 * <p>Only the first two are repaired: out-of-band access may be someone's standing access that Hallpass never
 * managed, so it is reported for a person to judge, never revoked automatically.
 */
public final class DriftCheck {
    public enum Kind {
        MISSING,
        LEFT_BEHIND,
        OUT_OF_BAND
    }

    /**
     * One difference between git and a target.
     *
     * @param repairable whether {@link #repair} fixes it: only access Hallpass itself applied or must apply
     */
    public record Drift(Kind kind, LeaseKey key, Optional<Grant> grant, String detail, boolean repairable) {}

    /** What the check found, and what a repair did. */
    public record Report(List<Drift> drift, List<LeaseKey> unknown, Optional<ReconcileReport> repair) {
        public Report {
            drift = List.copyOf(drift);
            unknown = List.copyOf(unknown);
        }
    }

    private final Providers providers;
    private final AppliedGrants applied;

    public DriftCheck(Providers providers, AppliedGrants applied) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.applied = Objects.requireNonNull(applied, "applied");
    }

    /** Finds drift at {@code now}; {@code catalog} widens the search to every eligible person of every role. */
    public Report find(GrantLedger ledger, Optional<Catalog> catalog, Instant now) {
        Map<LeaseKey, Grant> desired = new TreeMap<>(ledger.accessAt(now));
        Map<LeaseKey, AppliedGrant> done = new TreeMap<>(applied.snapshot());
        List<Drift> drift = new ArrayList<>();
        List<LeaseKey> unknown = new ArrayList<>();
        for (var e : desired.entrySet()) {
            Presence p = verify(e.getValue());
            if (p == Presence.ABSENT) {
                drift.add(
                        new Drift(Kind.MISSING, e.getKey(), Optional.of(e.getValue()), "granted in git, absent", true));
            } else if (p == Presence.UNKNOWN) {
                unknown.add(e.getKey());
            }
        }
        for (var e : done.entrySet()) {
            if (desired.containsKey(e.getKey()) || e.getValue().preExisting()) {
                continue;
            }
            Presence p = verify(e.getValue().grant());
            if (p == Presence.PRESENT) {
                drift.add(new Drift(
                        Kind.LEFT_BEHIND,
                        e.getKey(),
                        Optional.of(e.getValue().grant()),
                        "no longer granted in git, still present",
                        true));
            } else if (p == Presence.UNKNOWN) {
                unknown.add(e.getKey());
            }
        }
        Set<LeaseKey> seen = new TreeSet<>(desired.keySet());
        seen.addAll(done.keySet());
        for (Grant g : ledger.grants()) {
            // Ended grants whose key nobody holds a lease on: Hallpass revoked them (or found standing access, which
            // it forgets once the grant ends), so presence now is reported, never revoked automatically.
            if (!seen.add(g.key())) {
                continue;
            }
            if (verify(g) == Presence.PRESENT) {
                drift.add(new Drift(
                        Kind.LEFT_BEHIND,
                        g.key(),
                        Optional.of(g),
                        "grant " + g.requestId() + " ended at " + g.expiresAt()
                                + ", still present (granted again out of band, or standing access)",
                        false));
            }
        }
        for (LeaseKey key : candidates(catalog)) {
            if (!seen.add(key)) {
                continue;
            }
            Optional<Provider> provider = providers.find(key.provider());
            if (provider.isPresent() && safeVerify(provider.get(), key) == Presence.PRESENT) {
                drift.add(new Drift(Kind.OUT_OF_BAND, key, Optional.empty(), "present without a grant", false));
            }
        }
        return new Report(drift, unknown, Optional.empty());
    }

    /**
     * Repairs the repairable drift: marks missing grants' applied entries unconfirmed so the executor's reconcile
     * applies them again; left-behind entries are still in the applied state, so the same reconcile revokes them.
     */
    public Report repair(GrantLedger ledger, Optional<Catalog> catalog, GrantExecutor executor, Instant now) {
        Report found = find(ledger, catalog, now);
        for (Drift d : found.drift()) {
            if (d.kind() == Kind.MISSING && d.repairable()) {
                applied.put(new AppliedGrant(d.grant().orElseThrow(), false, false));
            }
        }
        ReconcileReport r = executor.reconcile(ledger, false);
        List<Drift> remaining = new ArrayList<>(find(ledger, catalog, now).drift());
        return new Report(remaining, found.unknown(), Optional.of(r));
    }

    private Set<LeaseKey> candidates(Optional<Catalog> catalog) {
        Set<LeaseKey> out = new TreeSet<>();
        if (catalog.isEmpty()) {
            return out;
        }
        Catalog c = catalog.get();
        for (Catalog.Role role : c.roles().values()) {
            Set<Login> people = c.expand(role.eligible());
            for (Catalog.RoleEnvironment env : role.environments().values()) {
                for (Login person : people) {
                    out.add(new LeaseKey(person, env.provider(), env.target()));
                }
            }
        }
        return out;
    }

    private Presence verify(Grant g) {
        return providers.find(g.provider()).map(p -> safeVerify(p, g)).orElse(Presence.UNKNOWN);
    }

    private static Presence safeVerify(Provider p, Grant g) {
        try {
            return p.verify(g);
        } catch (RuntimeException e) {
            return Presence.UNKNOWN;
        }
    }

    private static Presence safeVerify(Provider p, LeaseKey key) {
        try {
            return p.verify(key.person(), key.target());
        } catch (RuntimeException e) {
            return Presence.UNKNOWN;
        }
    }
}
