package dev.hallpass.github.standin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The stand-in's git storage: an in-memory JGit repository, so branches, merges and reverts are real commits whose
 * history tests can inspect. Not thread-safe; {@link GitHubStandIn} serialises access.
 */
final class GitStore {
    private final InMemoryRepository repo;

    GitStore(String name) {
        this.repo = new InMemoryRepository(new DfsRepositoryDescription(name));
    }

    Repository repository() {
        return repo;
    }

    /** Tip of a branch, or null. */
    ObjectId branch(String branch) {
        try {
            Ref ref = repo.exactRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> branches() {
        try {
            List<String> out = new ArrayList<>();
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                out.add(r.getName().substring(Constants.R_HEADS.length()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A branch name or a full/abbreviated sha to a commit id; null if unknown. */
    ObjectId resolveCommit(String ref) {
        ObjectId b = branch(ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref);
        if (b != null) {
            return b;
        }
        if (!ref.matches("[0-9a-f]{40}")) {
            return null;
        }
        ObjectId id = ObjectId.fromString(ref);
        try (RevWalk rw = new RevWalk(repo)) {
            rw.parseCommit(id);
            return id;
        } catch (IOException e) {
            return null;
        }
    }

    boolean hasCommit(ObjectId id) {
        try (RevWalk rw = new RevWalk(repo)) {
            rw.parseCommit(id);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    RevCommit commit(ObjectId id) {
        try (RevWalk rw = new RevWalk(repo)) {
            RevCommit c = rw.parseCommit(id);
            rw.parseBody(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Point a branch at a commit, creating it if needed (force: the stand-in's callers check preconditions). */
    void setBranch(String branch, ObjectId id) {
        try {
            RefUpdate u = repo.updateRef(Constants.R_HEADS + branch);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            RefUpdate.Result r = u.update();
            if (r != RefUpdate.Result.NEW
                    && r != RefUpdate.Result.FORCED
                    && r != RefUpdate.Result.FAST_FORWARD
                    && r != RefUpdate.Result.NO_CHANGE) {
                throw new IllegalStateException("cannot update " + branch + ": " + r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteBranch(String branch) {
        try {
            RefUpdate u = repo.updateRef(Constants.R_HEADS + branch);
            u.setForceUpdate(true);
            u.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Commit on top of {@code parent} (null for a root commit) with files changed ({@code null} content deletes).
     * Returns the new commit id; the caller moves branches.
     */
    ObjectId commitChanges(
            ObjectId parent, Map<String, byte[]> changes, PersonIdent author, PersonIdent committer, String message) {
        try (ObjectInserter ins = repo.newObjectInserter();
                ObjectReader reader = repo.newObjectReader()) {
            DirCache dc = DirCache.newInCore();
            if (parent != null) {
                DirCacheBuilder b = dc.builder();
                b.addTree(new byte[0], 0, reader, commit(parent).getTree());
                b.finish();
            }
            DirCacheEditor ed = dc.editor();
            for (Map.Entry<String, byte[]> e : new TreeMap<>(changes).entrySet()) {
                if (e.getValue() == null) {
                    ed.add(new DirCacheEditor.DeletePath(e.getKey()));
                } else {
                    ObjectId blob = ins.insert(Constants.OBJ_BLOB, e.getValue());
                    ed.add(new DirCacheEditor.PathEdit(e.getKey()) {
                        @Override
                        public void apply(DirCacheEntry ent) {
                            ent.setFileMode(FileMode.REGULAR_FILE);
                            ent.setObjectId(blob);
                        }
                    });
                }
            }
            ed.finish();
            ObjectId tree = dc.writeTree(ins);
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(tree);
            if (parent != null) {
                cb.setParentId(parent);
            }
            cb.setAuthor(author);
            cb.setCommitter(committer);
            cb.setMessage(message);
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In-core three-way merge of {@code theirs} into {@code ours}; the merged tree, or null on conflicts. */
    ObjectId mergeTree(ObjectId ours, ObjectId theirs) {
        try {
            ThreeWayMerger m = MergeStrategy.RECURSIVE.newMerger(repo, true);
            return m.merge(ours, theirs) ? m.getResultTreeId() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree of {@code c}'s own change applied onto {@code onto} (an in-core cherry-pick), or null on conflict. */
    ObjectId cherryPickTree(ObjectId onto, RevCommit c) {
        try {
            ThreeWayMerger m = MergeStrategy.RECURSIVE.newMerger(repo, true);
            m.setBase(c.getParent(0));
            return m.merge(onto, c) ? m.getResultTreeId() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A commit with one parent and the given tree (a squash, or one replayed commit of a rebase). */
    ObjectId commitOnto(ObjectId parent, ObjectId tree, PersonIdent author, PersonIdent committer, String message) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(tree);
            cb.setParentId(parent);
            cb.setAuthor(author);
            cb.setCommitter(committer);
            cb.setMessage(message);
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A merge commit with both parents, so the audit trail shows exactly what was merged. */
    ObjectId commitMerge(
            ObjectId ours, ObjectId theirs, ObjectId tree, PersonIdent author, PersonIdent committer, String message) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(tree);
            cb.setParentIds(ours, theirs);
            cb.setAuthor(author);
            cb.setCommitter(committer);
            cb.setMessage(message);
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * History from {@code start}, newest first; with a path, only commits that changed it, with git's default
     * history simplification (a merge that took the path unchanged from one parent is skipped).
     */
    List<RevCommit> log(ObjectId start, String path) {
        try (RevWalk rw = new RevWalk(repo)) {
            if (path != null) {
                rw.setTreeFilter(org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                        org.eclipse.jgit.treewalk.filter.PathFilterGroup.createFromStrings(path),
                        org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF));
            }
            rw.sort(org.eclipse.jgit.revwalk.RevSort.COMMIT_TIME_DESC);
            rw.markStart(rw.parseCommit(start));
            List<ObjectId> ids = new ArrayList<>();
            for (RevCommit c : rw) {
                ids.add(c.copy());
            }
            // Parsed afresh: the filtered walk rewrites parents to the nearest listed commit, GitHub shows real ones.
            List<RevCommit> out = new ArrayList<>();
            for (ObjectId id : ids) {
                out.add(commit(id));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits reachable from {@code to} but not from {@code from} ({@code git log from..to}), oldest first. */
    List<RevCommit> between(ObjectId from, ObjectId to) {
        try (RevWalk rw = new RevWalk(repo)) {
            rw.sort(org.eclipse.jgit.revwalk.RevSort.TOPO);
            rw.sort(org.eclipse.jgit.revwalk.RevSort.REVERSE, true);
            rw.markStart(rw.parseCommit(to));
            if (from != null) {
                rw.markUninteresting(rw.parseCommit(from));
            }
            List<ObjectId> ids = new ArrayList<>();
            for (RevCommit c : rw) {
                ids.add(c.copy());
            }
            List<RevCommit> out = new ArrayList<>();
            for (ObjectId id : ids) {
                out.add(commit(id));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAncestor(ObjectId ancestor, ObjectId of) {
        try (RevWalk rw = new RevWalk(repo)) {
            return rw.isMergedInto(rw.parseCommit(ancestor), rw.parseCommit(of));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectId mergeBase(ObjectId a, ObjectId b) {
        try (RevWalk rw = new RevWalk(repo)) {
            rw.setRevFilter(RevFilter.MERGE_BASE);
            rw.markStart(rw.parseCommit(a));
            rw.markStart(rw.parseCommit(b));
            RevCommit base = rw.next();
            return base == null ? null : base.copy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blob id and bytes of a file at a commit, or null. */
    Blob file(ObjectId commit, String path) {
        try (ObjectReader reader = repo.newObjectReader()) {
            TreeWalk tw = TreeWalk.forPath(reader, path, commit(commit).getTree());
            if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                return null;
            }
            ObjectId id = tw.getObjectId(0);
            return new Blob(id, reader.open(id).getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Immediate children (name → is directory) of a directory at a commit, or null if it is not a directory. */
    Map<String, Boolean> list(ObjectId commit, String dir) {
        try (ObjectReader reader = repo.newObjectReader()) {
            TreeWalk tw;
            if (dir.isEmpty()) {
                tw = new TreeWalk(reader);
                tw.addTree(commit(commit).getTree());
            } else {
                TreeWalk at = TreeWalk.forPath(reader, dir, commit(commit).getTree());
                if (at == null || !at.isSubtree()) {
                    return null;
                }
                tw = new TreeWalk(reader);
                tw.addTree(at.getObjectId(0));
            }
            Map<String, Boolean> out = new TreeMap<>();
            while (tw.next()) {
                out.put(tw.getNameString(), tw.isSubtree());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Blob(ObjectId id, byte[] bytes) {}

    /** One entry of a commit's tree, as the git trees API lists it. */
    record TreeEntry(String path, String mode, boolean isTree, ObjectId id, long size) {}

    /** Every entry of a commit's tree (recursively: sub-trees and their contents, git's order), or its top level. */
    List<TreeEntry> tree(ObjectId commit, boolean recursive) {
        try (ObjectReader reader = repo.newObjectReader()) {
            TreeWalk tw = new TreeWalk(reader);
            tw.addTree(commit(commit).getTree());
            tw.setRecursive(false);
            List<TreeEntry> out = new ArrayList<>();
            while (tw.next()) {
                boolean sub = tw.isSubtree();
                ObjectId id = tw.getObjectId(0);
                long size = sub ? 0 : reader.getObjectSize(id, Constants.OBJ_BLOB);
                out.add(new TreeEntry(tw.getPathString(), String.format("%06o", tw.getRawMode(0)), sub, id, size));
                if (sub && recursive) {
                    tw.enterSubtree();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A blob's bytes by its id, or null when there is no such blob. */
    byte[] blob(ObjectId id) {
        try (ObjectReader reader = repo.newObjectReader()) {
            if (!reader.has(id, Constants.OBJ_BLOB)) {
                return null;
            }
            org.eclipse.jgit.lib.ObjectLoader l = reader.open(id);
            return l.getType() == Constants.OBJ_BLOB ? l.getBytes() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record FileDiff(String status, String path, String previousPath, ObjectId blob, int additions, int deletions) {}

    /** Three-dot diff like GitHub's PR files: merge base of base and head against head, with rename detection. */
    List<FileDiff> diff(ObjectId base, ObjectId head) {
        return diffTrees(mergeBase(base, head), head);
    }

    /** Two-dot diff: the trees of {@code from} (none: everything is added) and {@code head}, with rename detection. */
    List<FileDiff> diffTrees(ObjectId from, ObjectId head) {
        try (DiffFormatter df = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            df.setRepository(repo);
            df.setDiffComparator(RawTextComparator.DEFAULT);
            df.setDetectRenames(true);
            List<DiffEntry> entries = df.scan(
                    from == null ? null : commit(from).getTree(), commit(head).getTree());
            List<FileDiff> out = new ArrayList<>();
            for (DiffEntry e : entries) {
                int add = 0;
                int del = 0;
                for (Edit edit : df.toFileHeader(e).toEditList()) {
                    add += edit.getLengthB();
                    del += edit.getLengthA();
                }
                String status;
                String path = e.getNewPath();
                String prev = null;
                ObjectId blob = e.getNewId().toObjectId();
                switch (e.getChangeType()) {
                    case ADD:
                        status = "added";
                        break;
                    case DELETE:
                        status = "removed";
                        path = e.getOldPath();
                        blob = e.getOldId().toObjectId();
                        break;
                    case RENAME:
                        status = "renamed";
                        prev = e.getOldPath();
                        break;
                    case COPY:
                        status = "copied";
                        prev = e.getOldPath();
                        break;
                    default:
                        status = "modified";
                }
                out.add(new FileDiff(status, path, prev, blob, add, del));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PersonIdent ident(String name, String email, Instant when) {
        return new PersonIdent(name, email, when, ZoneOffset.UTC);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
