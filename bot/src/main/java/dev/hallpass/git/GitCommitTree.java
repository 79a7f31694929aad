package dev.hallpass.git;

import dev.hallpass.request.RepoTree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/** The access repository as it was at one commit, read straight from git objects with JGit. */
public final class GitCommitTree implements RepoTree {
    private final Repository repo;
    private final RevCommit commit;
    private final String label;

    private GitCommitTree(Repository repo, RevCommit commit, String label) {
        this.repo = repo;
        this.commit = commit;
        this.label = label;
    }

    /** The tree at {@code ref} (a branch, tag, sha or expression such as {@code HEAD~1}). */
    public static GitCommitTree at(Repository repo, String ref) throws IOException {
        ObjectId id = repo.resolve(ref + "^{commit}");
        if (id == null) {
            throw new IOException("no commit '" + ref + "' in " + repo.getDirectory());
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            return new GitCommitTree(repo, c, ref);
        }
    }

    public RevCommit commit() {
        return commit;
    }

    @Override
    public String describe() {
        String sha = commit.abbreviate(7).name();
        return label.startsWith(sha) ? "commit " + sha : "commit " + sha + " (" + label + ")";
    }

    @Override
    public Optional<byte[]> read(String path, int limit) throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.contains("..")) {
            return Optional.empty();
        }
        try (ObjectReader reader = repo.newObjectReader();
                TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
            if (tw == null) {
                return Optional.empty();
            }
            FileMode mode = tw.getFileMode(0);
            if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                return Optional.empty();
            }
            ObjectLoader loader = reader.open(tw.getObjectId(0));
            try (InputStream in = loader.openStream()) {
                return Optional.of(in.readNBytes(limit + 1));
            }
        }
    }

    @Override
    public List<Entry> list(String dir) throws IOException {
        String prefix = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        List<Entry> out = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            if (!prefix.isEmpty()) {
                tw.setFilter(PathFilter.create(prefix));
            }
            while (tw.next()) {
                FileMode mode = tw.getFileMode(0);
                Kind kind = mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE
                        ? Kind.FILE
                        : mode == FileMode.SYMLINK ? Kind.SYMLINK : Kind.OTHER;
                out.add(new Entry(tw.getPathString(), kind));
            }
        }
        out.sort(java.util.Comparator.comparing(Entry::path));
        return out;
    }
}
