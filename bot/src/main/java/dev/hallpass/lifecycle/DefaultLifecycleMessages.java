package dev.hallpass.lifecycle;

import dev.hallpass.grant.Grant;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Plain texts with the audit trailers ({@code Key: value} lines) at the end. */
final class DefaultLifecycleMessages implements LifecycleMessages {

    @Override
    public String expireCommit(Grant g, Instant revokedAt) {
        return expirePrTitle(g) + "\n\n"
                + "The grant of " + g.role() + " in " + g.environment() + " to " + g.person() + " expired at "
                + rfc3339(g.expiresAt()) + " and was revoked at " + rfc3339(revokedAt) + ".\n\n"
                + trailers(g, "expire");
    }

    @Override
    public String expirePrTitle(Grant g) {
        return "Expire access: " + g.requestId();
    }

    @Override
    public String expirePrBody(Grant g, Timeline t) {
        return "Access granted by #" + g.pullRequest() + " has expired; this removes its request file.\n\n"
                + timeline(g, t) + "\n" + trailers(g, "expire");
    }

    @Override
    public String revokeCommit(Grant g, String revokedBy, Instant at) {
        return revokePrTitle(g) + "\n\n" + "Revoked early by @" + revokedBy + " at " + rfc3339(at) + ".\n\n"
                + trailers(g, "revoke");
    }

    @Override
    public String revokePrTitle(Grant g) {
        return "Revoke access: " + g.requestId();
    }

    @Override
    public String revokePrBody(Grant g, String revokedBy, Timeline t) {
        return "@" + revokedBy + " revoked the access granted by #" + g.pullRequest()
                + " before it expired; this removes its request file.\n\n" + timeline(g, t) + "\n"
                + trailers(g, "revoke");
    }

    private static String timeline(Grant g, Timeline t) {
        return "| Event | Time |\n|---|---|\n"
                + "| Granted by | #" + g.pullRequest() + " (merge "
                + g.mergeCommit().substring(0, 7) + ") |\n"
                + "| Access started | " + rfc3339(t.start()) + " |\n"
                + "| Expires | " + rfc3339(t.expiresAt()) + " |\n"
                + "| Revoked | " + rfc3339(t.revokedAt()) + " |\n";
    }

    private static String trailers(Grant g, String action) {
        return "Hallpass-Request: " + g.requestId() + "\n"
                + "Hallpass-Action: " + action + "\n"
                + "Hallpass-Expires-At: " + rfc3339(g.expiresAt()) + "\n";
    }

    static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
