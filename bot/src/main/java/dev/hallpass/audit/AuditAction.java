package dev.hallpass.audit;

import java.util.Locale;
import java.util.Optional;

/** What a Hallpass commit did, as written in its {@code Hallpass-Action} trailer. */
public enum AuditAction {
    GRANT,
    EXTEND,
    REVOKE,
    EXPIRE,
    ATTEST,
    REJECT;

    /** The lowercase word written in the trailer. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action named by {@code word}; strict: exact lowercase only, so look-alikes are findings. */
    public static Optional<AuditAction> of(String word) {
        for (AuditAction a : values()) {
            if (a.word().equals(word)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return word();
    }
}
