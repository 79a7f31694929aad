package dev.hallpass.lifecycle;

import dev.hallpass.grant.Grant;
import java.time.Instant;

/**
 * Commit messages and pull request texts for the pull requests Hallpass opens to remove request files. The
 * audit package's builders replace {@link #DEFAULT}; the default already ends with the audit trailers.
 */
public interface LifecycleMessages {
    LifecycleMessages DEFAULT = new DefaultLifecycleMessages();

    /** Message of the commit deleting an expired request's file. */
    String expireCommit(Grant g, Instant revokedAt);

    String expirePrTitle(Grant g);

    String expirePrBody(Grant g, Timeline timeline);

    /** Message of the commit deleting a request withdrawn with {@code /hallpass revoke}. */
    String revokeCommit(Grant g, String revokedBy, Instant at);

    String revokePrTitle(Grant g);

    String revokePrBody(Grant g, String revokedBy, Timeline timeline);

    /**
     * What happened to one grant, for pull request bodies.
     *
     * @param revokedAt when Hallpass revoked the access (or found it already revoked)
     */
    record Timeline(Instant start, Instant expiresAt, Instant revokedAt) {}
}
