package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An idempotent provider in memory that records calls and can be told to fail or throw. */
final class FakeProvider implements Provider {
    private final ProviderName name;
    final Set<LeaseKey> present = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    int failuresLeft;
    int throwsLeft;

    FakeProvider(String name) {
        this.name = new ProviderName(name);
    }

    @Override
    public ProviderName name() {
        return name;
    }

    @Override
    public Outcome apply(Grant grant, boolean dryRun) {
        calls.add("apply " + grant.requestId() + (dryRun ? " (dry run)" : ""));
        Outcome failure = failure(Action.APPLY);
        if (failure != null) {
            return failure;
        }
        if (dryRun) {
            return Outcome.dryRun(Action.APPLY, "would apply", "");
        }
        return present.add(grant.key())
                ? Outcome.done(Action.APPLY, "applied", "")
                : Outcome.noOp(Action.APPLY, "already", "");
    }

    @Override
    public Outcome revoke(Grant grant, boolean dryRun) {
        calls.add("revoke " + grant.requestId() + (dryRun ? " (dry run)" : ""));
        Outcome failure = failure(Action.REVOKE);
        if (failure != null) {
            return failure;
        }
        if (dryRun) {
            return Outcome.dryRun(Action.REVOKE, "would revoke", "");
        }
        return present.remove(grant.key())
                ? Outcome.done(Action.REVOKE, "revoked", "")
                : Outcome.noOp(Action.REVOKE, "absent", "");
    }

    private Outcome failure(Action action) {
        if (throwsLeft > 0) {
            throwsLeft--;
            throw new IllegalStateException("connection reset");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return Outcome.failed(action, "target unavailable", "503");
        }
        return null;
    }

    @Override
    public Presence verify(Login person, String target) {
        return present.contains(new LeaseKey(person, name, target)) ? Presence.PRESENT : Presence.ABSENT;
    }
}
