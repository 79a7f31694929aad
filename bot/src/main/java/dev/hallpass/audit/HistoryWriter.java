package dev.hallpass.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Writes commits straight into a repository's object database, with no working tree or index: used to
 * commit attestations, and by tests and the benchmark to build histories fast. It keeps the tree in memory
 * and rewrites only the directories that changed, so a commit costs a few object writes.
 *
 * <p>Not thread-safe. Call {@link #flush()} (or close) before reading what was written.
 */
public final class HistoryWriter implements AutoCloseable {
    private final Repository repo;
    private final ObjectInserter inserter;
    private final Dir root = new Dir();
    private ObjectId head;
    private CommitSigning.SigningKey signingKey;

    /** Starts from an empty history. */
    public HistoryWriter(Repository repo, ObjectInserter inserter) {
        this.repo = repo;
        this.inserter = inserter;
    }

    public HistoryWriter(Repository repo) {
        this(repo, repo.newObjectInserter());
    }

    /**
     * A writer that puts everything in one pack, written on {@link #flush()}: for building large histories,
     * where hundreds of thousands of loose object files would be slow. Falls back to loose objects for
     * repositories not on the file system.
     */
    public static HistoryWriter packed(Repository repo) {
        if (repo instanceof org.eclipse.jgit.internal.storage.file.FileRepository) {
            org.eclipse.jgit.internal.storage.file.PackInserter pack =
                    ((org.eclipse.jgit.internal.storage.file.FileRepository) repo)
                            .getObjectDatabase()
                            .newPackInserter();
            pack.checkExisting(false);
            return new HistoryWriter(repo, pack);
        }
        return new HistoryWriter(repo);
    }

    /** Signs every following commit with {@code key}; null stops signing. */
    public HistoryWriter signWith(CommitSigning.SigningKey key) {
        this.signingKey = key;
        return this;
    }

    /**
     * Continues from {@code commit}: its tree becomes the current state. Reads the whole tree, so use it once,
     * not per commit.
     */
    public HistoryWriter startFrom(ObjectId commit) throws IOException {
        try (var walk = new org.eclipse.jgit.revwalk.RevWalk(repo);
                var tw = new org.eclipse.jgit.treewalk.TreeWalk(repo)) {
            var c = walk.parseCommit(commit);
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            root.children.clear();
            root.id = null;
            while (tw.next()) {
                put(tw.getPathString(), new Leaf(tw.getObjectId(0), tw.getFileMode(0)));
            }
        }
        head = commit.copy();
        return this;
    }

    /** The last commit written, or null. */
    public ObjectId head() {
        return head;
    }

    public HistoryWriter put(String path, String content) throws IOException {
        return put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public HistoryWriter put(String path, byte[] content) throws IOException {
        put(path, new Leaf(inserter.insert(Constants.OBJ_BLOB, content), FileMode.REGULAR_FILE));
        return this;
    }

    /** A file (or symlink, or submodule) kept with its mode, so rewriting a tree never changes modes. */
    private record Leaf(ObjectId id, FileMode mode) {}

    private void put(String path, Leaf leaf) {
        String[] parts = path.split("/");
        Dir d = root;
        d.id = null;
        for (int i = 0; i < parts.length - 1; i++) {
            d = (Dir) d.children.computeIfAbsent(parts[i] + "/", k -> new Dir());
            d.id = null;
        }
        d.children.put(parts[parts.length - 1], leaf);
    }

    /** Removes a file; empty directories disappear, as in git. */
    public HistoryWriter delete(String path) {
        delete(root, path.split("/"), 0);
        return this;
    }

    private static boolean delete(Dir d, String[] parts, int i) {
        if (i == parts.length - 1) {
            if (d.children.remove(parts[i]) != null) {
                d.id = null;
            }
        } else {
            Object child = d.children.get(parts[i] + "/");
            if (child instanceof Dir && delete((Dir) child, parts, i + 1)) {
                d.children.remove(parts[i] + "/");
            }
            d.id = null;
        }
        return d.children.isEmpty();
    }

    /** Commits the current tree on top of {@link #head()} and moves head. */
    public ObjectId commit(String message, Instant when) throws IOException {
        head = commit(message, when, parents(head));
        return head;
    }

    /**
     * What GitHub's merge API does: a pull request commit on top of {@code base} with the current tree, then a
     * merge commit with parents {@code head, pr} (first parent the branch) and {@code message}.
     */
    public ObjectId merge(String message, Instant when, ObjectId base) throws IOException {
        ObjectId pr = commit("Pull request change", when.minusSeconds(60), parents(base));
        head = commit(message, when, head == null ? List.of(pr) : List.of(head, pr));
        return head;
    }

    private static List<ObjectId> parents(ObjectId id) {
        return id == null ? List.of() : List.of(id);
    }

    /** Writes a commit with these parents without moving head. */
    public ObjectId commit(String message, Instant when, List<ObjectId> parents) throws IOException {
        ObjectId tree = write(root);
        PersonIdent who = new PersonIdent("Hallpass", "hallpass@users.noreply.github.com", when, ZoneOffset.UTC);
        CommitBuilder cb = new CommitBuilder();
        cb.setTreeId(tree);
        cb.setParentIds(parents);
        cb.setAuthor(who);
        cb.setCommitter(who);
        cb.setMessage(message);
        cb.setEncoding(StandardCharsets.UTF_8);
        if (signingKey != null) {
            cb.setGpgSignature(new GpgSignature(signingKey.sign(cb.build()).getBytes(StandardCharsets.US_ASCII)));
        }
        return inserter.insert(cb);
    }

    /** Points {@code ref} at {@link #head()} (forced), after flushing. */
    public void updateRef(String ref) throws IOException {
        flush();
        RefUpdate u = repo.updateRef(ref);
        u.setNewObjectId(head);
        u.setForceUpdate(true);
        RefUpdate.Result r = u.update();
        if (r != RefUpdate.Result.NEW
                && r != RefUpdate.Result.FORCED
                && r != RefUpdate.Result.NO_CHANGE
                && r != RefUpdate.Result.FAST_FORWARD) {
            throw new IOException("cannot update " + ref + ": " + r);
        }
    }

    public void flush() throws IOException {
        inserter.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        inserter.close();
    }

    /** A directory; children keyed by name, with {@code /} after directory names, which is git's order. */
    private static final class Dir {
        final TreeMap<String, Object> children = new TreeMap<>(HistoryWriter::gitOrder);
        ObjectId id;
    }

    private static int gitOrder(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return Arrays.compareUnsigned(x, y);
    }

    private ObjectId write(Dir d) throws IOException {
        if (d.id != null) {
            return d.id;
        }
        TreeFormatter f = new TreeFormatter();
        List<Map.Entry<String, Object>> entries = new ArrayList<>(d.children.entrySet());
        for (Map.Entry<String, Object> e : entries) {
            if (e.getValue() instanceof Dir) {
                String name = e.getKey().substring(0, e.getKey().length() - 1);
                f.append(name, FileMode.TREE, write((Dir) e.getValue()));
            } else {
                Leaf l = (Leaf) e.getValue();
                f.append(e.getKey(), l.mode(), l.id());
            }
        }
        d.id = inserter.insert(f);
        return d.id;
    }
}
