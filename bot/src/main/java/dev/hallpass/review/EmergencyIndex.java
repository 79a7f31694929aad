package dev.hallpass.review;

import dev.hallpass.github.ChangedFile;
import dev.hallpass.github.CommitInfo;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.SourceFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The emergency requests ever merged into the default branch, found from git through the gateway: every
 * commit that touched {@code requests/} (GitHub lists the requesters' branch commits, not the merges), the
 * merged pull requests that brought each one in, and the request file as it was at each merge. A request is
 * an emergency when its file says {@code emergency: true} at the merge, as the audit judges it.
 *
 * <p>Commits and merged pull requests never change, so what each one yields is cached by sha and number:
 * after the first read, a new head costs one listing of {@code requests/} history plus a few calls per new
 * commit. Not thread-safe; {@link RetroReview} serialises calls.
 */
final class EmergencyIndex {
    /** One request file a merged pull request added (a grant) or modified (an extension). */
    record Found(RequestId id, boolean added, AccessRequest request, PullRequest pullRequest) {}

    private final GitHubGateway github;
    private final RepoName repo;
    private final String branch;
    private final RequestParser parser = new RequestParser();
    private final Map<String, List<Integer>> pullsOfCommit = new HashMap<>();
    private final Map<Integer, List<Found>> foundInPull = new HashMap<>();
    // Merged pull requests as listed with their commits, so each is read once.
    private final Map<Integer, PullRequest> merged = new HashMap<>();

    EmergencyIndex(GitHubGateway github, RepoName repo, String branch) {
        this.github = github;
        this.repo = repo;
        this.branch = branch;
    }

    /** The emergency requests merged into the branch as of {@code head}, by request id. */
    Map<RequestId, Emergency> at(String head) {
        TreeSet<Integer> pulls = new TreeSet<>();
        for (CommitInfo c :
                github.commits(repo, RequestId.DIRECTORY.substring(0, RequestId.DIRECTORY.length() - 1), head)) {
            pulls.addAll(pullsOfCommit.computeIfAbsent(c.sha(), this::mergedPullsWith));
        }
        List<Found> found = new ArrayList<>();
        for (int n : pulls) {
            found.addAll(foundInPull.computeIfAbsent(n, this::emergenciesIn));
        }
        found.sort(
                java.util.Comparator.comparing(f -> f.pullRequest().mergedAt().orElseThrow()));
        Map<RequestId, Emergency> out = new LinkedHashMap<>();
        for (Found f : found) {
            Emergency known = out.get(f.id());
            if (f.added() || known == null) {
                // A re-added id starts a new request; the latest grant is the one reviewed.
                out.put(f.id(), Emergency.of(f));
            } else {
                out.put(f.id(), known.withExtension(f.pullRequest().number()));
            }
        }
        return out;
    }

    private List<Integer> mergedPullsWith(String sha) {
        List<Integer> out = new ArrayList<>();
        for (PullRequest p : github.pullRequestsWithCommit(repo, sha)) {
            if (p.merged()
                    && p.mergedAt().isPresent()
                    && p.mergeCommitSha().isPresent()
                    && p.base().ref().equals(branch)) {
                out.add(p.number());
                merged.putIfAbsent(p.number(), p);
            }
        }
        return out;
    }

    private List<Found> emergenciesIn(int number) {
        PullRequest pr = merged.computeIfAbsent(number, n -> github.pullRequest(repo, n));
        List<Found> out = new ArrayList<>();
        for (ChangedFile f : github.files(repo, number)) {
            boolean added = f.status() == ChangedFile.Status.ADDED;
            if (!added && f.status() != ChangedFile.Status.MODIFIED && f.status() != ChangedFile.Status.CHANGED) {
                continue;
            }
            Optional<RequestId> id;
            try {
                id = RequestId.fromPath(f.path());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (id.isEmpty()) {
                continue;
            }
            Optional<AccessRequest> request = github.fileAt(
                            repo, f.path(), pr.mergeCommitSha().orElseThrow())
                    .flatMap(b -> parser.parse(new SourceFile(f.path(), b), new Problems()))
                    .flatMap(RequestParser.Parsed::request);
            if (request.isPresent() && request.get().emergency()) {
                out.add(new Found(id.get(), added, request.get(), pr));
            }
        }
        return out;
    }

    /** Parses a request file as it is now, for its current duration. */
    Optional<AccessRequest> requestAt(String head, RequestId id) {
        return github.fileAt(repo, id.path(), head)
                .flatMap(b -> parser.parse(new SourceFile(id.path(), b), new Problems()))
                .flatMap(RequestParser.Parsed::request);
    }

    /** Merge time of an emergency's grant. */
    static Instant mergedAt(PullRequest pr) {
        return pr.mergedAt().orElseThrow();
    }
}
