package dev.hallpass.audit;

import dev.hallpass.request.Login;
import java.io.IOException;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Records retroactive reviews in git: writes {@code audit/reviews/<request>.yaml} and commits it with {@link
 * CommitMessages#attest}, optionally signed. The caller pushes the commit (directly or through a pull
 * request, as branch protection demands).
 */
public final class Attestations {
    private Attestations() {}

    /**
     * A commit on top of {@code parent} that adds or replaces the review file; moves no ref.
     *
     * @param requester the reviewed request's requester, written in the trailers
     * @param signingKey signs the commit, or null to leave it unsigned
     */
    public static ObjectId commit(
            Repository repo,
            ObjectId parent,
            Attestation attestation,
            Login requester,
            Instant committedAt,
            CommitSigning.SigningKey signingKey)
            throws IOException {
        try (HistoryWriter w = new HistoryWriter(repo)) {
            w.startFrom(parent);
            w.signWith(signingKey);
            w.put(attestation.path(), AttestationYaml.write(attestation));
            return w.commit(CommitMessages.attest(attestation, requester), committedAt);
        }
    }

    /** {@link #commit} on top of {@code branch} (a full ref name such as {@code refs/heads/main}), moving it. */
    public static ObjectId record(
            Repository repo,
            String branch,
            Attestation attestation,
            Login requester,
            Instant committedAt,
            CommitSigning.SigningKey signingKey)
            throws IOException {
        ObjectId parent = repo.resolve(branch + "^{commit}");
        if (parent == null) {
            throw new IOException("no branch " + branch);
        }
        ObjectId c = commit(repo, parent, attestation, requester, committedAt, signingKey);
        var u = repo.updateRef(branch);
        u.setNewObjectId(c);
        u.setExpectedOldObjectId(parent);
        var r = u.update();
        if (r != org.eclipse.jgit.lib.RefUpdate.Result.FAST_FORWARD) {
            throw new IOException("cannot move " + branch + " to the attestation commit: " + r);
        }
        return c;
    }
}
