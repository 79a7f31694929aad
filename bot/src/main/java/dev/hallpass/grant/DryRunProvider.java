package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.util.Objects;

/** A provider that only ever dry-runs, whatever its caller asks: for rehearsals and previews. */
public final class DryRunProvider implements Provider {
    private final Provider delegate;

    public DryRunProvider(Provider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ProviderName name() {
        return delegate.name();
    }

    @Override
    public Outcome apply(Grant grant, boolean dryRun) {
        return delegate.apply(grant, true);
    }

    @Override
    public Outcome revoke(Grant grant, boolean dryRun) {
        return delegate.revoke(grant, true);
    }

    @Override
    public Presence verify(Login person, String target) {
        return delegate.verify(person, target);
    }

    @Override
    public Presence verify(Grant grant) {
        return delegate.verify(grant);
    }
}
