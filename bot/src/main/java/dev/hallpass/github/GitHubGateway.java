package dev.hallpass.github;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Hallpass asks of GitHub, in Hallpass's own types. Kept narrow on purpose: the evaluator, the reverter and
 * the team access provider depend on this, not on a client library, so the library can change and tests can run
 * against {@code GitHubStandIn}.
 *
 * <p>Failures surface as {@link GitHubException} (with the HTTP status), except where the bot branches on the answer:
 * a missing file is {@link Optional#empty()}, a refused merge is a {@link MergeResult}, team membership is a boolean.
 */
public interface GitHubGateway {
    /** Marker that identifies the bot's one sticky comment on a pull request. */
    String STICKY_MARKER = "<!-- hallpass:sticky -->";

    PullRequest pullRequest(RepoName repo, int number);

    /**
     * GitHub's own copy of a pull request, from a signed webhook that just arrived: the next {@link #pullRequest} of
     * it, if it comes soon, may answer with this instead of another call. Stale copies do no harm where it matters:
     * merges are pinned to the head sha and GitHub refuses a merge of a moved or closed pull request.
     */
    default void notePullRequest(PullRequest pr) {}

    /** All files of the pull request (all pages; GitHub stops listing at 3000). */
    List<ChangedFile> files(RepoName repo, int number);

    /**
     * The files that merging {@code headSha} into {@code baseSha} changes: {@code GET /compare/{base}...{head}}, the
     * head against the merge base of the two commits, as the pull request's file list but pinned to these exact
     * commits, so a push after the head was read cannot change the answer. More files than GitHub lists in one
     * comparison (300) is a {@link GitHubException}: the list would be incomplete.
     */
    List<ChangedFile> compareFiles(RepoName repo, String baseSha, String headSha);

    /** All reviews, oldest first. */
    List<Review> reviews(RepoName repo, int number);

    /** Conversation comments, oldest first. */
    List<IssueComment> comments(RepoName repo, int number);

    /** Raw bytes of a file at a ref (branch or sha); empty when the file does not exist there. */
    Optional<byte[]> fileAt(RepoName repo, String path, String ref);

    /**
     * The entries directly inside {@code dir} at {@code ref}, as repository paths; a sub-directory's path
     * ends in {@code /}. Empty when the directory does not exist there.
     */
    List<String> directory(RepoName repo, String dir, String ref);

    /**
     * Every file at a commit in one call ({@code GET /git/trees/{sha}?recursive=1}); empty when GitHub truncated the
     * listing (over 100,000 entries) or the gateway cannot list trees, so callers read file by file instead.
     */
    default Optional<GitTree> tree(RepoName repo, String commitSha) {
        return Optional.empty();
    }

    /** A file's bytes by blob sha ({@code GET /git/blobs/{sha}}); a blob never changes, so callers may keep it. */
    default byte[] blob(RepoName repo, String blobSha) {
        throw new UnsupportedOperationException("blobs are read only by gateways that list trees");
    }

    /** The sha of {@code branch}'s tip; a missing branch is a {@link GitHubException} (404). */
    String branchSha(RepoName repo, String branch);

    /**
     * The commits reachable from {@code ref} that changed {@code path}, newest first, all pages ({@code GET
     * /repos/{o}/{r}/commits?path=&sha=}). GitHub simplifies history as {@code git log -- path} does: a merge
     * commit that took the file unchanged from its second parent is left out and that parent's commit is
     * listed instead, so callers must not assume a listed commit is on the first-parent line.
     */
    List<CommitInfo> commits(RepoName repo, String path, String ref);

    /**
     * The pull requests that contain {@code sha} ({@code GET /repos/{o}/{r}/commits/{sha}/pulls}): for a commit
     * of a merged branch, the merged pull request that brought it into the repository.
     */
    List<PullRequest> pullRequestsWithCommit(RepoName repo, String sha);

    /**
     * Creates or replaces {@code path} on {@code branch} with one commit carrying {@code message} (which
     * may carry git trailers); returns the commit's sha.
     */
    String putFile(RepoName repo, String branch, String path, byte[] content, String message);

    /** Every open pull request, all pages. */
    List<PullRequest> openPullRequests(RepoName repo);

    /**
     * Every open pull request's number with a version string that changes whenever its state may have (a push, a
     * review, a comment, a label: GitHub's {@code updated_at} and the head sha), for a resync that skips the rest.
     */
    default java.util.Map<Integer, String> openPullRequestVersions(RepoName repo) {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (PullRequest pr : openPullRequests(repo)) {
            out.put(pr.number(), pr.head().sha() + " " + pr.base().sha() + " " + pr.labels());
        }
        return out;
    }

    /**
     * Publish the {@value CheckReport#CHECK_NAME} check run for a head sha as completed. Updates the existing run for
     * that sha and name, so re-evaluations do not stack up runs: by its remembered id, or found by listing the sha's
     * runs; a head the gateway saw arrive (its pull request read before at another head) cannot have one yet and gets a
     * new run without the listing.
     */
    void publishCheck(RepoName repo, String headSha, CheckReport report);

    /**
     * Create or edit the bot's single status comment. The body is prefixed with {@link #STICKY_MARKER}; the bot's own
     * comment carrying the marker is edited in place (and left alone if unchanged). Comments by others that contain
     * the marker are ignored.
     */
    void upsertStickyComment(RepoName repo, int number, String body);

    /** A new, non-sticky comment (e.g. a reply to a command). */
    void comment(RepoName repo, int number, String body);

    void addLabels(RepoName repo, int number, Set<String> labels);

    /** Removes a label; absent labels are not an error. */
    void removeLabel(RepoName repo, int number, String label);

    /**
     * Merge with a merge commit or, where the repository allows no merge commits, a squash (its commit carries
     * {@code commitTitle} and {@code commitMessage}); a repository that allows only rebase merging is refused
     * ({@link MergeResult.Outcome#NOT_MERGEABLE}) since a rebase cannot carry the audit trailers. Only if the head is
     * still {@code expectedHeadSha}. 405 and 409 come back as
     * {@link MergeResult.Outcome#NOT_MERGEABLE} and {@link MergeResult.Outcome#HEAD_CHANGED}. Retrying is safe: a PR
     * already merged at {@code expectedHeadSha} answers {@link MergeResult.Outcome#MERGED} with the existing merge.
     */
    MergeResult merge(RepoName repo, int number, String expectedHeadSha, String commitTitle, String commitMessage);

    /** Opens a pull request; if one is already open for the same head and base, returns that one instead. */
    PullRequest openPullRequest(RepoName repo, String title, String body, String headBranch, String baseBranch);

    /**
     * Create {@code newBranch} at the tip of {@code baseBranch} and delete {@code path} on it in one commit with the
     * given message (which may carry git trailers). Returns the sha of that commit.
     *
     * <p>Re-running after a partial failure resumes: an existing branch still at the base tip gets the commit, one
     * whose file is already gone returns its tip; any other existing branch is an error (422).
     */
    String deleteFileOnNewBranch(RepoName repo, String baseBranch, String newBranch, String path, String message);

    /** True for an active member (or maintainer); pending invitations do not count. */
    boolean isTeamMember(String org, String teamSlug, String login);

    /**
     * Adds (or keeps) a member. Returns whether membership is active now; false means GitHub only sent an invitation
     * (the user is not in the organisation yet), so access is not granted.
     */
    boolean addTeamMember(String org, String teamSlug, String login);

    /** Removing someone who is not a member is not an error. */
    void removeTeamMember(String org, String teamSlug, String login);

    /** REST calls made so far by this gateway (including token refreshes), for budgets and benchmarks. */
    long apiCalls();
}
