package dev.hallpass.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The last audited commit, kept in {@code refs/hallpass/audited}, and the check that history since then was
 * only appended to: a force-push or rewrite leaves the checkpoint off the branch.
 */
public final class Checkpoint {
    public static final String REF = "refs/hallpass/audited";

    private Checkpoint() {}

    /** The checkpoint, if one was written. */
    public static Optional<ObjectId> read(Repository repo) throws IOException {
        Ref ref = repo.exactRef(REF);
        return ref == null ? Optional.empty() : Optional.ofNullable(ref.getObjectId());
    }

    /** Points the checkpoint at {@code commit}; refuses to move it to a commit that does not descend from it. */
    public static void write(Repository repo, ObjectId commit) throws IOException {
        Optional<ObjectId> old = read(repo);
        if (old.isPresent()) {
            Optional<String> broken = check(repo, old.get(), commit);
            if (broken.isPresent()) {
                throw new IOException("not moving " + REF + ": " + broken.get());
            }
        }
        RefUpdate u = repo.updateRef(REF);
        u.setNewObjectId(commit);
        u.setExpectedOldObjectId(old.orElse(ObjectId.zeroId()));
        u.setRefLogMessage("hallpass audit checkpoint", false);
        RefUpdate.Result r = u.update();
        if (r != RefUpdate.Result.NEW
                && r != RefUpdate.Result.FAST_FORWARD
                && r != RefUpdate.Result.NO_CHANGE
                && r != RefUpdate.Result.FORCED) {
            throw new IOException("cannot update " + REF + ": " + r);
        }
    }

    /** Why {@code head} does not extend {@code checkpoint}, or empty when it does. */
    public static Optional<String> check(Repository repo, ObjectId checkpoint, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit cp;
            try {
                cp = walk.parseCommit(checkpoint);
            } catch (MissingObjectException e) {
                return Optional.of("the checkpoint commit " + checkpoint.name()
                        + " no longer exists: history was rewritten and the old commits were pruned");
            }
            RevCommit h = walk.parseCommit(head);
            if (!walk.isMergedInto(cp, h)) {
                return Optional.of("the checkpoint " + checkpoint.abbreviate(12).name() + " is not an ancestor of "
                        + head.abbreviate(12).name() + ": history was rewritten (force-push?) since it was audited");
            }
            return Optional.empty();
        }
    }

    /** What {@code audit verify} decided. */
    public record Result(boolean intact, List<String> reasons, String summary) {}

    /**
     * Checks that history is intact: the checkpoint (if any) is an ancestor of {@code head}, and no {@link
     * Finding.Kind#INTEGRITY} finding (forged, inconsistent or malformed trailers, changes outside Hallpass,
     * bad or missing signatures).
     */
    public static Result verify(Repository repo, AuditLog log, Optional<ObjectId> checkpoint) throws IOException {
        List<String> reasons = new ArrayList<>();
        ObjectId head = ObjectId.fromString(log.head());
        if (checkpoint.isPresent()) {
            check(repo, checkpoint.get(), head).ifPresent(r -> reasons.add(Finding.HISTORY_REWRITTEN + ": " + r));
        }
        for (Finding f : log.findings()) {
            if (f.kind() == Finding.Kind.INTEGRITY) {
                reasons.add(f.format());
            }
        }
        String summary = reasons.isEmpty()
                ? "intact: " + log.commits() + " commits, " + log.rows().size() + " requests up to "
                        + head.abbreviate(12).name()
                        + checkpoint
                                .map(c -> ", extends checkpoint "
                                        + c.abbreviate(12).name())
                                .orElse(", no checkpoint")
                : reasons.size() + " problem(s) in the history up to "
                        + head.abbreviate(12).name();
        return new Result(reasons.isEmpty(), reasons, summary);
    }
}
