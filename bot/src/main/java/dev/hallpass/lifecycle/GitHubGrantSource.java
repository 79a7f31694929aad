package dev.hallpass.lifecycle;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.github.CommitInfo;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.request.AccessRepoLoader;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Grants over the GitHub API, for the server, which has no clone. GitHub lists a file's history as {@code git
 * log -- path} does, so the commit that added a request is usually the requester's branch commit, not the
 * merge; the merge time then comes from the pull request that brought that commit in.
 */
public final class GitHubGrantSource implements GrantSource {
    private final GitHubGateway github;
    private final RepoName repo;
    private final String branch;
    private final GitHubRepoTree.Cache cache;
    private final AccessRepoLoader loader = new AccessRepoLoader();
    // A file's merge at a given head never changes; keyed by head so a deleted and re-added file is seen anew.
    private final Map<String, GrantAssembler.Merge> merges = Collections.synchronizedMap(lru(4096));

    public GitHubGrantSource(GitHubGateway github, RepoName repo, String branch, GitHubRepoTree.Cache cache) {
        this.github = Objects.requireNonNull(github, "github");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.branch = Objects.requireNonNull(branch, "branch");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public Snapshot snapshot() {
        String head = github.branchSha(repo, branch);
        GitHubRepoTree tree = new GitHubRepoTree(github, repo, head, cache);
        return GrantAssembler.assemble(head, loader.loadGrantable(tree), path -> merge(head, path));
    }

    private GrantAssembler.Merge merge(String head, String path) throws GrantAssembler.NotGrantable {
        String key = head + ":" + path;
        GrantAssembler.Merge known = merges.get(key);
        if (known != null) {
            return known;
        }
        GrantAssembler.Merge m = findMerge(head, path);
        merges.put(key, m);
        return m;
    }

    private GrantAssembler.Merge findMerge(String head, String path) throws GrantAssembler.NotGrantable {
        CommitInfo added = null;
        for (CommitInfo c : github.commits(repo, path, head)) {
            boolean inParent = !c.parents().isEmpty()
                    && github.fileAt(repo, path, c.parents().get(0)).isPresent();
            if (!inParent) {
                added = c;
                break;
            }
        }
        if (added == null) {
            throw new GrantAssembler.NotGrantable("grant.no_history", "no commit on " + branch + " adds it");
        }
        Optional<Integer> named = GrantAssembler.pullRequestNumber(added.title());
        if (added.parents().size() > 1 && named.isPresent()) {
            // The merge commit itself is listed (the file differed from both parents, or GitHub did not simplify).
            return new GrantAssembler.Merge(added.committedAt(), named.get(), added.sha());
        }
        Optional<PullRequest> pr = github.pullRequestsWithCommit(repo, added.sha()).stream()
                .filter(p ->
                        p.merged() && p.mergedAt().isPresent() && p.base().ref().equals(branch))
                .min(Comparator.comparing(p -> p.mergedAt().get()));
        if (pr.isPresent()) {
            PullRequest p = pr.get();
            return new GrantAssembler.Merge(
                    p.mergedAt().get(), p.number(), p.mergeCommitSha().orElse(added.sha()));
        }
        if (named.isPresent()) {
            // A squash or rebase merge: the commit on the branch is the merge.
            return new GrantAssembler.Merge(added.committedAt(), named.get(), added.sha());
        }
        throw new GrantAssembler.NotGrantable(
                "grant.no_pull_request",
                "the commit that added it (" + added.sha().substring(0, 7) + ") came through no merged pull request;"
                        + " requests take effect only through merged pull requests");
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
