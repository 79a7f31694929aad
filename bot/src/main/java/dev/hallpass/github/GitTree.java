package dev.hallpass.github;

import java.util.List;
import java.util.Objects;

/**
 * A commit's whole file tree from one git-trees call: every file's path, blob sha and size. Blob shas name contents,
 * so a file unchanged between two commits has the same sha and its bytes can be reused.
 */
public record GitTree(String commitSha, List<Entry> files) {
    public record Entry(String path, String blobSha, long size) {
        public Entry {
            GitHubNames.path(path);
            GitHubNames.sha(blobSha);
        }
    }

    public GitTree {
        Objects.requireNonNull(commitSha, "commitSha");
        files = List.copyOf(files);
    }
}
