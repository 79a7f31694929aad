package dev.hallpass.grant;

import dev.hallpass.request.RequestId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The desired state: every merged grant, indexed by expiry, by start and by lease key. Pure and immutable:
 * it performs nothing, it answers what must be true at a given instant, so it can be rebuilt from git at
 * any time and checked in tests without a provider.
 *
 * <p>Grants are leases on {@link LeaseKey}s. A key has access while at least one of its leases is live;
 * when one lease ends while another covers the key, nothing is revoked.
 */
public final class GrantLedger {
    private static final Comparator<Grant> BY_START =
            Comparator.comparing(Grant::start).thenComparing(Grant::requestId);

    private final Clock clock;
    private final Map<RequestId, Grant> byId;
    private final Map<LeaseKey, List<Grant>> byKey;
    private final NavigableMap<Instant, List<Grant>> byExpiry;
    private final NavigableMap<Instant, List<Grant>> byStart;

    private GrantLedger(Map<RequestId, Grant> byId, Clock clock) {
        this.clock = clock;
        this.byId = byId;
        Map<LeaseKey, List<Grant>> keys = new HashMap<>(byId.size() * 2);
        NavigableMap<Instant, List<Grant>> expiry = new TreeMap<>();
        NavigableMap<Instant, List<Grant>> start = new TreeMap<>();
        for (Grant g : byId.values()) {
            keys.computeIfAbsent(g.key(), k -> new ArrayList<>(2)).add(g);
            expiry.computeIfAbsent(g.expiresAt(), k -> new ArrayList<>(1)).add(g);
            start.computeIfAbsent(g.start(), k -> new ArrayList<>(1)).add(g);
        }
        // Sorted by start so the end of continuous coverage can be found in one pass.
        keys.values().forEach(l -> l.sort(BY_START));
        this.byKey = keys;
        this.byExpiry = expiry;
        this.byStart = start;
    }

    /** A ledger of {@code grants}; two grants with the same request id are a caller bug. */
    public static GrantLedger of(Collection<Grant> grants, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Map<RequestId, Grant> byId = new LinkedHashMap<>(grants.size() * 2);
        for (Grant g : grants) {
            if (byId.putIfAbsent(g.requestId(), g) != null) {
                throw new IllegalArgumentException("two grants for request " + g.requestId());
            }
        }
        return new GrantLedger(byId, clock);
    }

    /** This ledger with {@code grant} added, or replacing the grant of the same request (an extension). */
    public GrantLedger with(Grant grant) {
        Map<RequestId, Grant> copy = new LinkedHashMap<>(byId);
        copy.put(grant.requestId(), grant);
        return new GrantLedger(copy, clock);
    }

    /** This ledger without the request's grant: an early revoke (the request was withdrawn). */
    public GrantLedger without(RequestId id) {
        if (!byId.containsKey(id)) {
            return this;
        }
        Map<RequestId, Grant> copy = new LinkedHashMap<>(byId);
        copy.remove(id);
        return new GrantLedger(copy, clock);
    }

    public Instant now() {
        return clock.instant();
    }

    public int size() {
        return byId.size();
    }

    public Optional<Grant> grant(RequestId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Grant> grants() {
        return List.copyOf(byId.values());
    }

    /** The leases on {@code key}, earliest start first. */
    public List<Grant> leases(LeaseKey key) {
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }

    /** Whether some lease on {@code key} is live at {@code t}. */
    public boolean covered(LeaseKey key, Instant t) {
        return coveringLease(key, t).isPresent();
    }

    /** Of the leases on {@code key} live at {@code t}, the one that ends last. */
    public Optional<Grant> coveringLease(LeaseKey key, Instant t) {
        Grant best = null;
        for (Grant g : byKey.getOrDefault(key, List.of())) {
            if (g.isLiveAt(t) && (best == null || g.expiresAt().isAfter(best.expiresAt()))) {
                best = g;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Who must have access at {@code t}: each covered key with the live lease that ends last (the one to
     * hand to a provider, so native expiry is set as late as the access really lasts).
     */
    public Map<LeaseKey, Grant> accessAt(Instant t) {
        Map<LeaseKey, Grant> out = new HashMap<>();
        for (var e : byKey.entrySet()) {
            Grant best = null;
            for (Grant g : e.getValue()) {
                if (g.isLiveAt(t) && (best == null || g.expiresAt().isAfter(best.expiresAt()))) {
                    best = g;
                }
            }
            if (best != null) {
                out.put(e.getKey(), best);
            }
        }
        return out;
    }

    public Map<LeaseKey, Grant> accessNow() {
        return accessAt(now());
    }

    /**
     * When {@code key}'s access, live at {@code t}, really ends: leases that overlap or touch are chained,
     * so this is the end of the last lease of the unbroken run. Empty when the key is not covered at t.
     */
    public Optional<Instant> accessEndsAt(LeaseKey key, Instant t) {
        Optional<Grant> covering = coveringLease(key, t);
        if (covering.isEmpty()) {
            return Optional.empty();
        }
        Instant end = covering.get().expiresAt();
        for (Grant g : byKey.get(key)) {
            if (!g.start().isAfter(end) && g.expiresAt().isAfter(end)) {
                end = g.expiresAt();
            }
        }
        return Optional.of(end);
    }

    /**
     * The revocations that fall due in {@code (since, until]}: for each key some lease of which expired in
     * that window and that no lease covers at {@code until}, the lease that ended last. Only the expiry index
     * of the window is visited, so a frequent sweep costs little however many grants are live.
     */
    public List<Grant> revocationsDue(Instant since, Instant until) {
        Map<LeaseKey, Grant> due = new LinkedHashMap<>();
        for (List<Grant> ending : byExpiry.subMap(since, false, until, true).values()) {
            for (Grant g : ending) {
                LeaseKey key = g.key();
                if (covered(key, until)) {
                    continue;
                }
                due.merge(key, g, (a, b) -> a.expiresAt().isAfter(b.expiresAt()) ? a : b);
            }
        }
        List<Grant> out = new ArrayList<>(due.values());
        out.sort(Comparator.comparing(Grant::expiresAt).thenComparing(Grant::requestId));
        return out;
    }

    /** The first expiry strictly after {@code after}. */
    public Optional<Instant> nextExpiry(Instant after) {
        return Optional.ofNullable(byExpiry.higherKey(after));
    }

    /** The first start or expiry strictly after {@code after}: when to look again. */
    public Optional<Instant> nextChange(Instant after) {
        Instant e = byExpiry.higherKey(after);
        Instant s = byStart.higherKey(after);
        if (e == null) {
            return Optional.ofNullable(s);
        }
        return Optional.of(s == null || e.isBefore(s) ? e : s);
    }

    /**
     * What to do at {@code t} given what was applied and confirmed: a lease to apply for every covered key
     * not applied with the same grant (new access, or an extension that moves the expiry), and the applied
     * grant to revoke for every key no longer covered.
     */
    public Changes changes(Map<LeaseKey, Grant> applied, Instant t) {
        Map<LeaseKey, Grant> desired = accessAt(t);
        List<Grant> toApply = new ArrayList<>();
        for (var e : desired.entrySet()) {
            if (!e.getValue().equals(applied.get(e.getKey()))) {
                toApply.add(e.getValue());
            }
        }
        List<Grant> toRevoke = new ArrayList<>();
        for (var e : applied.entrySet()) {
            if (!desired.containsKey(e.getKey())) {
                toRevoke.add(e.getValue());
            }
        }
        Comparator<Grant> order = Comparator.comparing(Grant::key).thenComparing(Grant::requestId);
        toApply.sort(order);
        toRevoke.sort(order);
        return new Changes(toApply, toRevoke);
    }

    public Changes changesNow(Map<LeaseKey, Grant> applied) {
        return changes(applied, now());
    }

    /** The difference between desired and applied state. */
    public record Changes(List<Grant> toApply, List<Grant> toRevoke) {
        public Changes {
            toApply = List.copyOf(toApply);
            toRevoke = List.copyOf(toRevoke);
        }

        public boolean isEmpty() {
            return toApply.isEmpty() && toRevoke.isEmpty();
        }
    }
}
