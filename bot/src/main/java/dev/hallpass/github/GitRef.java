package dev.hallpass.github;

/** One side of a pull request: the branch name and the commit it pointed at when read. */
public record GitRef(String ref, String sha) {
    public GitRef {
        GitHubNames.branch(ref);
        GitHubNames.sha(sha);
    }
}
