package dev.hallpass.bot;

import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.GitTree;
import dev.hallpass.github.RepoName;
import dev.hallpass.request.RepoTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access repository at one commit, read through the GitHub gateway. Contents at a sha never change,
 * so reads are cached across evaluations.
 *
 * <p>The configuration (settings, catalog, on-call, policies) and any listing come from the commit's whole tree in
 * one call, and file bytes by blob sha, which are shared between commits: when {@code main} moves, only the new tree
 * is read, plus the files that really changed. A lone file under {@code requests/} at a commit whose tree is not
 * loaded (the request at a pull request's head) is read directly, which is one call instead of two.
 */
public final class GitHubRepoTree implements RepoTree {

    /** A bounded cache of file contents and listings by (repository, sha, path). */
    public static final class Cache {
        private final Map<String, Optional<byte[]>> files;
        private final Map<String, List<String>> dirs;
        private final Map<String, Optional<GitTree>> trees;
        private final Map<String, byte[]> blobs;

        public Cache(int maxEntries) {
            this.files = Collections.synchronizedMap(lru(maxEntries));
            this.dirs = Collections.synchronizedMap(lru(maxEntries));
            this.trees = Collections.synchronizedMap(lru(Math.max(1, maxEntries / 100)));
            this.blobs = Collections.synchronizedMap(lru(maxEntries));
        }

        private static <V> Map<String, V> lru(int max) {
            return new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                    return size() > max;
                }
            };
        }
    }

    private final GitHubGateway github;
    private final RepoName repo;
    private final String sha;
    private final Cache cache;

    public GitHubRepoTree(GitHubGateway github, RepoName repo, String sha, Cache cache) {
        if (!sha.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a tree is read at a commit sha, got " + sha);
        }
        this.github = github;
        this.repo = repo;
        this.sha = sha;
        this.cache = cache;
    }

    @Override
    public String describe() {
        return repo + " at " + sha.substring(0, 7);
    }

    @Override
    public Optional<byte[]> read(String path, int limit) {
        if (path.isEmpty()
                || path.startsWith("/")
                || Arrays.asList(path.split("/")).contains("..")) {
            return Optional.empty();
        }
        Optional<GitTree> tree =
                path.startsWith("requests/") && !cache.trees.containsKey(treeKey()) ? Optional.empty() : tree();
        Optional<byte[]> bytes = tree.isPresent()
                ? fromTree(tree.get(), path)
                : cache.files.computeIfAbsent(key(path), k -> github.fileAt(repo, path, sha));
        return bytes.map(b -> b.length > limit + 1 ? Arrays.copyOf(b, limit + 1) : b);
    }

    private Optional<GitTree> tree() {
        return cache.trees.computeIfAbsent(treeKey(), k -> github.tree(repo, sha));
    }

    private Optional<byte[]> fromTree(GitTree tree, String path) {
        for (GitTree.Entry e : tree.files()) {
            if (e.path().equals(path)) {
                return Optional.of(
                        cache.blobs.computeIfAbsent(repo + ":" + e.blobSha(), k -> github.blob(repo, e.blobSha())));
            }
        }
        return Optional.empty();
    }

    private String treeKey() {
        return repo + "@" + sha;
    }

    @Override
    public List<Entry> list(String dir) {
        List<Entry> out = new ArrayList<>();
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        Optional<GitTree> tree = tree();
        if (tree.isPresent()) {
            String prefix = d.isEmpty() ? "" : d + "/";
            int depth = d.isEmpty() ? 0 : d.split("/").length;
            for (GitTree.Entry e : tree.get().files()) {
                // Nine levels below at most, as the file-by-file walk below allows.
                if (e.path().startsWith(prefix) && e.path().split("/").length - depth <= 9) {
                    out.add(new Entry(e.path(), Kind.FILE));
                }
            }
            out.sort(java.util.Comparator.comparing(Entry::path));
            return out;
        }
        collect(d, out, 0);
        out.sort(java.util.Comparator.comparing(Entry::path));
        return out;
    }

    private void collect(String dir, List<Entry> out, int depth) {
        if (depth > 8) {
            return; // deeper trees are not Hallpass's layout; refuse to walk them through the API
        }
        for (String p : cache.dirs.computeIfAbsent(key(dir + "/"), k -> github.directory(repo, dir, sha))) {
            if (p.endsWith("/")) {
                collect(p.substring(0, p.length() - 1), out, depth + 1);
            } else {
                out.add(new Entry(p, Kind.FILE));
            }
        }
    }

    private String key(String path) {
        return repo + "@" + sha + ":" + path;
    }
}
