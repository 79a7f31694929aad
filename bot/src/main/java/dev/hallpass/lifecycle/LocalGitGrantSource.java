package dev.hallpass.lifecycle;

import dev.hallpass.git.GitCommitTree;
import dev.hallpass.request.AccessRepoLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Grants from a local clone (the CLI and the GitHub Action run in a checkout). A file's merge is the newest
 * first-parent commit of the branch that added it: on the first-parent line every commit is a merge into (or
 * a direct push to) the default branch, so its committer time is when the request took effect. The walk costs
 * one tree lookup per commit since the add, fine for an access repository's history.
 */
public final class LocalGitGrantSource implements GrantSource {
    private final Repository repo;
    private final String ref;
    private final AccessRepoLoader loader = new AccessRepoLoader();

    /** @param ref the default branch (or {@code HEAD} in a checkout of it) */
    public LocalGitGrantSource(Repository repo, String ref) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.ref = Objects.requireNonNull(ref, "ref");
    }

    @Override
    public Snapshot snapshot() {
        try {
            GitCommitTree head = GitCommitTree.at(repo, ref);
            RevCommit tip = head.commit();
            return GrantAssembler.assemble(tip.name(), loader.loadGrantable(head), path -> adding(tip, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GrantAssembler.Merge adding(RevCommit tip, String path) throws GrantAssembler.NotGrantable {
        // Walks the first-parent line by hand: a path-filtered RevWalk simplifies merges the way git log does and
        // would name the requester's branch commit instead of the merge.
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(tip);
            ObjectId blob = blob(c, path);
            while (blob != null) {
                RevCommit parent = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
                ObjectId before = parent == null ? null : blob(parent, path);
                if (before == null) {
                    // The newest commit whose first parent lacks the file: the latest add (a re-add restarts).
                    return merge(walk, c);
                }
                c = parent;
                blob = before;
            }
            throw new GrantAssembler.NotGrantable("grant.no_history", "no commit on " + ref + " adds it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GrantAssembler.Merge merge(RevWalk walk, RevCommit c)
            throws IOException, GrantAssembler.NotGrantable {
        walk.parseBody(c);
        int pr = GrantAssembler.pullRequestNumber(c.getShortMessage())
                .or(() -> GrantAssembler.pullRequestNumber(c.getFullMessage()))
                .orElseThrow(() -> new GrantAssembler.NotGrantable(
                        "grant.no_pull_request",
                        "the commit that added it (" + c.abbreviate(7).name()
                                + ") names no pull request; requests take effect only through merged pull requests"));
        return new GrantAssembler.Merge(Instant.ofEpochSecond(c.getCommitTime()), pr, c.name());
    }

    private ObjectId blob(RevCommit c, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            return tw == null ? null : tw.getObjectId(0).copy();
        }
    }
}
