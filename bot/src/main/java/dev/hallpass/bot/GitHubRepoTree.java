package dev.hallpass.bot;

import dev.hallpass.github.GitHubGateway;
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
 * so reads are cached across evaluations: the catalog and policies at a base commit cost API calls once,
 * however many pull requests are evaluated against it.
 */
public final class GitHubRepoTree implements RepoTree {

    /** A bounded cache of file contents and listings by (repository, sha, path). */
    public static final class Cache {
        private final Map<String, Optional<byte[]>> files;
        private final Map<String, List<String>> dirs;

        public Cache(int maxEntries) {
            this.files = Collections.synchronizedMap(lru(maxEntries));
            this.dirs = Collections.synchronizedMap(lru(maxEntries));
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
        Optional<byte[]> bytes = cache.files.computeIfAbsent(key(path), k -> github.fileAt(repo, path, sha));
        return bytes.map(b -> b.length > limit + 1 ? Arrays.copyOf(b, limit + 1) : b);
    }

    @Override
    public List<Entry> list(String dir) {
        List<Entry> out = new ArrayList<>();
        collect(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir, out, 0);
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
