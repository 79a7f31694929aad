package dev.hallpass.git;

import dev.hallpass.policy.PullRequestFacts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files a pull request changes, computed from git the way GitHub lists them: the diff between the
 * merge base of base and head, and head, with renames detected.
 */
public final class GitChanges {
    private GitChanges() {}

    public static List<PullRequestFacts.ChangedFile> between(Repository repo, String baseRef, String headRef)
            throws IOException {
        try (RevWalk walk = new RevWalk(repo);
                ObjectReader reader = repo.newObjectReader()) {
            RevCommit base = walk.parseCommit(resolve(repo, baseRef));
            RevCommit head = walk.parseCommit(resolve(repo, headRef));
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(base);
            walk.markStart(head);
            RevCommit mergeBase = walk.next();
            RevCommit from = mergeBase == null ? base : walk.parseCommit(mergeBase);

            CanonicalTreeParser a = new CanonicalTreeParser();
            a.reset(reader, from.getTree());
            CanonicalTreeParser b = new CanonicalTreeParser();
            b.reset(reader, head.getTree());
            List<DiffEntry> entries;
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.setRecursive(true);
                tw.addTree(a);
                tw.addTree(b);
                entries = DiffEntry.scan(tw);
            }
            RenameDetector renames = new RenameDetector(repo);
            renames.addAll(entries);
            List<DiffEntry> detected;
            try {
                detected = renames.compute(reader, null);
            } catch (org.eclipse.jgit.api.errors.CanceledException e) {
                throw new IOException("rename detection cancelled", e);
            }
            List<PullRequestFacts.ChangedFile> out = new ArrayList<>();
            for (DiffEntry e : detected) {
                switch (e.getChangeType()) {
                    case ADD -> out.add(new PullRequestFacts.ChangedFile(e.getNewPath(), "added", Optional.empty()));
                    case MODIFY -> out.add(
                            new PullRequestFacts.ChangedFile(e.getNewPath(), "modified", Optional.empty()));
                    case DELETE -> out.add(
                            new PullRequestFacts.ChangedFile(e.getOldPath(), "removed", Optional.empty()));
                    case RENAME -> out.add(
                            new PullRequestFacts.ChangedFile(e.getNewPath(), "renamed", Optional.of(e.getOldPath())));
                    case COPY -> out.add(new PullRequestFacts.ChangedFile(e.getNewPath(), "added", Optional.empty()));
                }
            }
            out.sort(java.util.Comparator.comparing(PullRequestFacts.ChangedFile::path));
            return out;
        }
    }

    static ObjectId resolve(Repository repo, String ref) throws IOException {
        ObjectId id = repo.resolve(ref + "^{commit}");
        if (id == null) {
            throw new IOException("no commit '" + ref + "' in " + repo.getDirectory());
        }
        return id;
    }
}
