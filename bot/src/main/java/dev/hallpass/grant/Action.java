package dev.hallpass.grant;

import java.util.Locale;

/** What a provider is asked to do. */
public enum Action {
    APPLY,
    REVOKE,
    VERIFY;

    /** The lowercase name used in commands' environment and in the audit. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
