package dev.hallpass.github.standin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.GitHubNames;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn.ApiError;
import dev.hallpass.github.standin.StandInModel.App;
import dev.hallpass.github.standin.StandInModel.CheckRun;
import dev.hallpass.github.standin.StandInModel.Comment;
import dev.hallpass.github.standin.StandInModel.Label;
import dev.hallpass.github.standin.StandInModel.Pull;
import dev.hallpass.github.standin.StandInModel.Repo;
import dev.hallpass.github.standin.StandInModel.Review;
import dev.hallpass.github.standin.StandInModel.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * One repository of the stand-in, and what people do to it: push, open pull requests, review, comment, merge. Each
 * action changes the state the REST API serves and sends the matching webhook, exactly as when the bot does the same
 * over HTTP (both paths share the operations below).
 */
public final class StandInRepository {
    public enum ReviewEvent {
        APPROVE,
        REQUEST_CHANGES,
        COMMENT
    }

    /** Read-only view of a pull request for assertions. */
    public record PullView(
            int number,
            String title,
            String author,
            boolean open,
            boolean merged,
            boolean draft,
            String headRef,
            String headSha,
            String baseRef,
            String mergeCommitSha,
            Set<String> labels) {}

    /** Read-only view of a check run for assertions. */
    public record CheckRunView(
            long id,
            String name,
            String headSha,
            String status,
            String conclusion,
            String title,
            String summary,
            String text) {}

    /** Read-only view of a conversation comment for assertions. */
    public record CommentView(long id, String author, String body) {}

    private final GitHubStandIn hub;
    private final Repo repo;

    StandInRepository(GitHubStandIn hub, Repo repo) {
        this.hub = hub;
        this.repo = repo;
    }

    public RepoName name() {
        return repo.name;
    }

    /** The JGit repository behind it, to inspect history (read-only use, please). */
    public Repository git() {
        return repo.git.repository();
    }

    // ---------------------------------------------------------------- people's actions (Java API)

    /**
     * Commits {@code changes} (path to content, {@code null} deletes) as one commit by {@code author} and moves
     * {@code branch} to it. The commit's parent is {@code fromRef} (branch or sha) when given, else the branch tip; a
     * new branch needs {@code fromRef}. Open pull requests from the branch get a {@code synchronize} webhook.
     *
     * @return the new commit sha
     */
    public String pushBranch(
            String branch, String fromRef, Map<String, String> changes, String author, String message) {
        return act(() -> {
            GitHubNames.branch(branch);
            User u = hub.existingUser(author);
            ObjectId parent = fromRef == null ? repo.git.branch(branch) : repo.git.resolveCommit(fromRef);
            if (parent == null) {
                throw new IllegalArgumentException("cannot find " + (fromRef == null ? branch : fromRef));
            }
            Map<String, byte[]> bytes = new LinkedHashMap<>();
            changes.forEach(
                    (k, v) -> bytes.put(GitHubNames.path(k), v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
            return commitToBranch(branch, parent, bytes, u, message);
        });
    }

    /**
     * {@code git push --force}: moves {@code branch} to an existing commit {@code sha} (for example back to an earlier
     * head); open pull requests from the branch get a {@code synchronize} webhook.
     */
    public void forcePush(String branch, String sha, String login) {
        act(() -> {
            GitHubNames.branch(branch);
            ObjectId id = repo.git.resolveCommit(sha);
            if (id == null) {
                throw new IllegalArgumentException("cannot find " + sha);
            }
            return moveBranch(branch, id, hub.existingUser(login));
        });
    }

    public int openPullRequest(String author, String head, String base, String title, String body) {
        return act(() -> createPull(hub.existingUser(author), head, base, title, body, false).number);
    }

    public int openDraftPullRequest(String author, String head, String base, String title, String body) {
        return act(() -> createPull(hub.existingUser(author), head, base, title, body, true).number);
    }

    /** A review against the pull request's current head. Authors cannot approve their own pull requests. */
    public long submitReview(int number, String reviewer, ReviewEvent event, String body) {
        return act(() -> addReview(pull(number), hub.existingUser(reviewer), event, body).id);
    }

    public void dismissReview(int number, long reviewId, String login, String message) {
        act(() -> {
            Pull p = pull(number);
            Review r = p.reviews.stream()
                    .filter(x -> x.id == reviewId)
                    .findFirst()
                    .orElseThrow(() -> new ApiError(404, "Not Found"));
            if (!"APPROVED".equals(r.state) && !"CHANGES_REQUESTED".equals(r.state)) {
                throw new ApiError(422, "Can not dismiss a " + r.state.toLowerCase() + " pull request review");
            }
            r.state = "DISMISSED";
            hub.emit("pull_request_review", "dismissed", repo, hub.existingUser(login), reviewPayload(p, r));
            return null;
        });
    }

    public long comment(int number, String login, String body) {
        return act(() -> addComment(pull(number), hub.existingUser(login), body).id);
    }

    public void editComment(long commentId, String login, String body) {
        act(() -> {
            editComment(comment(commentId), hub.existingUser(login), body);
            return null;
        });
    }

    public void deleteComment(long commentId, String login) {
        act(() -> {
            deleteComment(comment(commentId), hub.existingUser(login));
            return null;
        });
    }

    public void closePullRequest(int number, String login) {
        act(() -> {
            Pull p = pull(number);
            if (p.open) {
                p.open = false;
                p.closedAt = hub.now();
                p.updatedAt = p.closedAt;
                hub.emit("pull_request", "closed", repo, hub.existingUser(login), payload(p));
            }
            return null;
        });
    }

    public void reopenPullRequest(int number, String login) {
        act(() -> {
            Pull p = pull(number);
            if (p.merged) {
                throw new ApiError(422, "Cannot reopen a merged pull request");
            }
            if (!p.open) {
                if (repo.git.branch(p.headBranch) == null) {
                    throw new ApiError(422, "Cannot reopen: head branch is gone");
                }
                p.open = true;
                p.closedAt = null;
                p.updatedAt = hub.now();
                hub.emit("pull_request", "reopened", repo, hub.existingUser(login), payload(p));
            }
            return null;
        });
    }

    /** A person edits the title and/or body (null keeps it); sends {@code pull_request.edited} with the changes. */
    public void editPullRequest(int number, String login, String title, String body) {
        act(() -> {
            Pull p = pull(number);
            ObjectNode changes = JsonNodeFactory.instance.objectNode();
            if (title != null && !title.equals(p.title)) {
                changes.putObject("title").put("from", p.title);
                p.title = title;
            }
            if (body != null && !body.equals(p.body)) {
                changes.putObject("body").put("from", p.body);
                p.body = body;
            }
            if (!changes.isEmpty()) {
                p.updatedAt = hub.now();
                ObjectNode payload = JsonNodeFactory.instance.objectNode();
                payload.put("number", p.number);
                payload.set("changes", changes);
                payload.set("pull_request", pullJson(p, true));
                hub.emit("pull_request", "edited", repo, hub.existingUser(login), payload);
            }
            return null;
        });
    }

    public void addLabel(int number, String login, String label) {
        act(() -> addLabels(pull(number), List.of(label), hub.existingUser(login)));
    }

    public void removeLabel(int number, String login, String label) {
        act(() -> removeLabel(pull(number), label, hub.existingUser(login)));
    }

    /** A person presses "Merge pull request" (merge commit). */
    public String mergePullRequest(int number, String login) {
        return act(() -> merge(pull(number), hub.existingUser(login), null, null, null, "merge"));
    }

    /**
     * Fault injection: {@code false} makes GitHub report the pull request as not mergeable (as with conflicts) and
     * refuse merges with 405; {@code true} restores the computed answer and ends a pending computation.
     */
    public void setMergeable(int number, boolean mergeable) {
        act(() -> {
            Pull p = pull(number);
            p.forcedUnmergeable = !mergeable;
            p.mergeabilityPending = false;
            return null;
        });
    }

    /** Fault injection: GitHub is still computing mergeability ({@code mergeable: null}) until setMergeable. */
    public void setMergeabilityPending(int number) {
        act(() -> {
            pull(number).mergeabilityPending = true;
            return null;
        });
    }

    // ---------------------------------------------------------------- views for assertions

    public Optional<String> branchSha(String branch) {
        synchronized (hub) {
            return Optional.ofNullable(repo.git.branch(branch)).map(ObjectId::name);
        }
    }

    public Optional<String> fileAt(String ref, String path) {
        synchronized (hub) {
            ObjectId c = repo.git.resolveCommit(ref);
            GitStore.Blob b = c == null ? null : repo.git.file(c, path);
            return b == null ? Optional.empty() : Optional.of(GitStore.utf8(b.bytes()));
        }
    }

    public PullView pullRequest(int number) {
        synchronized (hub) {
            Pull p = pull(number);
            return new PullView(
                    p.number,
                    p.title,
                    p.author.login,
                    p.open,
                    p.merged,
                    p.draft,
                    p.headBranch,
                    p.headSha,
                    p.baseBranch,
                    p.mergeCommitSha,
                    Set.copyOf(p.labels));
        }
    }

    public List<CommentView> comments(int number) {
        synchronized (hub) {
            List<CommentView> out = new ArrayList<>();
            for (Comment c : pull(number).comments) {
                out.add(new CommentView(c.id, c.user.login, c.body));
            }
            return out;
        }
    }

    public List<CheckRunView> checkRuns(String sha) {
        synchronized (hub) {
            List<CheckRunView> out = new ArrayList<>();
            for (CheckRun c : repo.checkRuns) {
                if (c.headSha.equals(sha)) {
                    out.add(new CheckRunView(
                            c.id, c.name, c.headSha, c.status, c.conclusion, c.title, c.summary, c.text));
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- shared operations (monitor held)

    private <T> T act(Supplier<T> body) {
        T result;
        synchronized (hub) {
            try {
                result = body.get();
            } catch (ApiError e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        hub.flushDeliveries();
        return result;
    }

    Repo repo() {
        return repo;
    }

    Pull pull(int number) {
        Pull p = repo.pulls.get(number);
        if (p == null) {
            throw new ApiError(404, "Not Found");
        }
        return p;
    }

    Comment comment(long id) {
        for (Pull p : repo.pulls.values()) {
            for (Comment c : p.comments) {
                if (c.id == id) {
                    return c;
                }
            }
        }
        throw new ApiError(404, "Not Found");
    }

    private PersonIdent ident(User u) {
        return GitStore.ident(u.login, u.id + "+" + u.login + "@users.noreply.github.com", hub.now());
    }

    /** New commit on {@code parent}, branch moved to it, and {@code synchronize} for open PRs from the branch. */
    String commitToBranch(String branch, ObjectId parent, Map<String, byte[]> changes, User actor, String message) {
        ObjectId id = repo.git.commitChanges(parent, changes, ident(actor), ident(actor), message);
        return moveBranch(branch, id, actor);
    }

    /** Moves {@code branch} to {@code id} and sends {@code synchronize} for open pull requests from it. */
    private String moveBranch(String branch, ObjectId id, User actor) {
        ObjectId before = repo.git.branch(branch);
        repo.git.setBranch(branch, id);
        repo.pushedAt = hub.now();
        for (Pull p : repo.pulls.values()) {
            if (p.open && p.headBranch.equals(branch)) {
                String old = p.headSha;
                p.headSha = id.name();
                p.updatedAt = hub.now();
                ObjectNode payload = payload(p);
                payload.put("before", before == null ? old : before.name());
                payload.put("after", id.name());
                hub.emit("pull_request", "synchronize", repo, actor, payload);
            }
        }
        return id.name();
    }

    Pull createPull(User author, String head, String base, String title, String body, boolean draft) {
        // The API accepts "owner:branch" for head; same-repository only here.
        String headBranch = head.contains(":") ? head.substring(head.indexOf(':') + 1) : head;
        if (title == null || title.isBlank()) {
            throw new ApiError(422, Shapes.validation(null, "PullRequest", "title", "missing_field"));
        }
        ObjectId headTip = repo.git.branch(headBranch);
        if (headTip == null) {
            throw new ApiError(422, Shapes.validation(null, "PullRequest", "head", "invalid"));
        }
        ObjectId baseTip = base == null ? null : repo.git.branch(base);
        if (baseTip == null) {
            throw new ApiError(422, Shapes.validation(null, "PullRequest", "base", "invalid"));
        }
        for (Pull p : repo.pulls.values()) {
            if (p.open && p.headBranch.equals(headBranch) && p.baseBranch.equals(base)) {
                throw new ApiError(
                        422,
                        Shapes.validation(
                                "A pull request already exists for " + repo.name.owner() + ":" + headBranch + ".",
                                "PullRequest",
                                null,
                                "custom"));
            }
        }
        if (headTip.equals(baseTip) || headTip.equals(repo.git.mergeBase(baseTip, headTip))) {
            throw new ApiError(
                    422,
                    Shapes.validation(
                            "No commits between " + base + " and " + headBranch, "PullRequest", null, "custom"));
        }
        int number = repo.nextNumber++;
        Pull p = new Pull(number, hub.nextId(), author, headBranch, base, hub.now());
        p.title = title;
        p.body = body;
        p.draft = draft;
        p.headSha = headTip.name();
        p.baseSha = baseTip.name();
        repo.pulls.put(number, p);
        hub.emit("pull_request", "opened", repo, author, payload(p));
        return p;
    }

    Review addReview(Pull p, User reviewer, ReviewEvent event, String body) {
        // GitHub takes reviews on merged pull requests (retroactive reviews rely on it), not on closed ones.
        if (!p.open && !p.merged) {
            throw new ApiError(422, "Can not review a closed pull request");
        }
        if (event == ReviewEvent.APPROVE && reviewer.id == p.author.id) {
            throw new ApiError(422, "Can not approve your own pull request");
        }
        if (event != ReviewEvent.APPROVE && (body == null || body.isBlank())) {
            throw new ApiError(422, "Review body is required for " + event);
        }
        String state = event == ReviewEvent.APPROVE
                ? "APPROVED"
                : event == ReviewEvent.REQUEST_CHANGES ? "CHANGES_REQUESTED" : "COMMENTED";
        Review r = new Review(hub.nextId(), reviewer, state, body == null ? "" : body, p.headSha, hub.now());
        p.reviews.add(r);
        p.updatedAt = hub.now();
        hub.emit("pull_request_review", "submitted", repo, reviewer, reviewPayload(p, r));
        return r;
    }

    private ObjectNode reviewPayload(Pull p, Review r) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        ObjectNode review = hub.shapes().review(repo, p, r);
        // Webhooks spell review states in lower case, unlike the REST API.
        review.put("state", r.state.toLowerCase(java.util.Locale.ROOT));
        payload.set("review", review);
        payload.set("pull_request", pullJson(p, false));
        return payload;
    }

    Comment addComment(Pull p, User user, String body) {
        if (body == null || body.isEmpty()) {
            throw new ApiError(422, Shapes.validation(null, "IssueComment", "body", "missing_field"));
        }
        Comment c = new Comment(hub.nextId(), p.number, user, body, hub.now());
        p.comments.add(c);
        hub.emit("issue_comment", "created", repo, user, commentPayload(p, c));
        return c;
    }

    void editComment(Comment c, User actor, String body) {
        if (body == null || body.isEmpty()) {
            throw new ApiError(422, Shapes.validation(null, "IssueComment", "body", "missing_field"));
        }
        String from = c.body;
        c.body = body;
        c.updatedAt = hub.now();
        ObjectNode payload = commentPayload(pull(c.issueNumber), c);
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        changes.putObject("body").put("from", from);
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        ordered.set("changes", changes);
        ordered.setAll(payload);
        hub.emit("issue_comment", "edited", repo, actor, ordered);
    }

    void deleteComment(Comment c, User actor) {
        Pull p = pull(c.issueNumber);
        p.comments.remove(c);
        hub.emit("issue_comment", "deleted", repo, actor, commentPayload(p, c));
    }

    private ObjectNode commentPayload(Pull p, Comment c) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.set("issue", hub.shapes().issue(repo, p));
        payload.set("comment", hub.shapes().comment(repo, c));
        return payload;
    }

    /** The "number" + "pull_request" part of pull_request payloads. */
    ObjectNode payload(Pull p) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("number", p.number);
        payload.set("pull_request", pullJson(p, true));
        return payload;
    }

    ObjectNode pullJson(Pull p, boolean full) {
        if (p.open) {
            ObjectId base = repo.git.branch(p.baseBranch);
            if (base != null) {
                p.baseSha = base.name();
            }
        }
        return hub.shapes().pull(repo, p, mergeability(p), full);
    }

    /** Computed like GitHub's background job, but at once: a real in-core merge of head into base. */
    Shapes.Mergeability mergeability(Pull p) {
        if (!p.open) {
            return new Shapes.Mergeability(null, "unknown", null);
        }
        if (p.mergeabilityPending) {
            return new Shapes.Mergeability(null, "unknown", null);
        }
        if (p.forcedUnmergeable) {
            return new Shapes.Mergeability(false, "dirty", null);
        }
        ObjectId base = repo.git.branch(p.baseBranch);
        if (base == null) {
            return new Shapes.Mergeability(false, "dirty", null);
        }
        String key = repo.name + ":" + base.name() + ":" + p.headSha;
        String cached = hub.testMerge(key);
        if (cached == null) {
            ObjectId tree = repo.git.mergeTree(base, ObjectId.fromString(p.headSha));
            if (tree == null) {
                cached = "";
            } else {
                PersonIdent gh = GitStore.ident("GitHub", "noreply@github.com", hub.now());
                cached = repo.git
                        .commitMerge(
                                base,
                                ObjectId.fromString(p.headSha),
                                tree,
                                gh,
                                gh,
                                "Merge " + p.headSha + " into " + base.name() + "\n")
                        .name();
            }
            hub.putTestMerge(key, cached);
        }
        if (cached.isEmpty()) {
            return new Shapes.Mergeability(false, "dirty", null);
        }
        return new Shapes.Mergeability(true, p.draft ? "draft" : "clean", cached);
    }

    /**
     * The repository's merge buttons (settings: allow merge commits, squash merging, rebase merging); at least one
     * stays enabled, as on GitHub. A merge with a disabled method is refused with 405.
     */
    public void setMergeMethods(boolean mergeCommit, boolean squash, boolean rebase) {
        if (!mergeCommit && !squash && !rebase) {
            throw new IllegalArgumentException("at least one merge method must be allowed");
        }
        act(() -> {
            repo.allowMergeCommit = mergeCommit;
            repo.allowSquashMerge = squash;
            repo.allowRebaseMerge = rebase;
            return null;
        });
    }

    /**
     * The merge button and PUT .../merge: checks as GitHub does, then, by {@code method}, a two-parent merge commit
     * on the base, one squashed commit carrying the title and message, or the head's commits replayed onto the base
     * (title and message ignored, as GitHub does).
     */
    String merge(Pull p, User actor, String expectedSha, String title, String message, String method) {
        String how = method == null ? "merge" : method;
        boolean allowed =
                switch (how) {
                    case "merge" -> repo.allowMergeCommit;
                    case "squash" -> repo.allowSquashMerge;
                    case "rebase" -> repo.allowRebaseMerge;
                    default -> throw new ApiError(
                            422, Shapes.validation(null, "PullRequest", "merge_method", "invalid"));
                };
        if (!allowed) {
            throw new ApiError(
                    405,
                    switch (how) {
                        case "merge" -> "Merge commits are not allowed on this repository.";
                        case "squash" -> "Squash merges are not allowed on this repository.";
                        default -> "Rebase merges are not allowed on this repository.";
                    });
        }
        if (!p.open) {
            throw new ApiError(405, "Pull Request is not mergeable");
        }
        if (expectedSha != null && !expectedSha.equals(p.headSha)) {
            throw new ApiError(409, "Head branch was modified. Review and try the merge again.");
        }
        if (p.draft) {
            throw new ApiError(405, "Pull Request is still a draft");
        }
        Shapes.Mergeability m = mergeability(p);
        if (!Boolean.TRUE.equals(m.mergeable())) {
            throw new ApiError(405, "Pull Request is not mergeable");
        }
        ObjectId base = repo.git.branch(p.baseBranch);
        ObjectId head = ObjectId.fromString(p.headSha);
        ObjectId tree = repo.git.commit(ObjectId.fromString(m.testMergeSha())).getTree();
        PersonIdent gh = GitStore.ident("GitHub", "noreply@github.com", hub.now());
        ObjectId merged;
        if (how.equals("merge")) {
            String t = title != null
                    ? title
                    : "Merge pull request #" + p.number + " from " + repo.name.owner() + "/" + p.headBranch;
            String msg = t + "\n\n" + (message != null ? message : p.title) + "\n";
            merged = repo.git.commitMerge(base, head, tree, ident(actor), gh, msg);
        } else if (how.equals("squash")) {
            String t = title != null ? title : p.title + " (#" + p.number + ")";
            StringBuilder body = new StringBuilder();
            if (message != null) {
                body.append(message);
            } else {
                for (RevCommit c : repo.git.between(base, head)) {
                    body.append("* ").append(c.getShortMessage()).append('\n');
                }
            }
            // The pull request's author is the squash commit's author.
            merged = repo.git.commitOnto(base, tree, ident(p.author), gh, t + "\n\n" + body + "\n");
        } else {
            merged = base;
            for (RevCommit c : repo.git.between(repo.git.mergeBase(base, head), head)) {
                ObjectId picked = c.getParentCount() == 1 ? repo.git.cherryPickTree(merged, c) : null;
                if (picked == null) {
                    throw new ApiError(405, "This branch can't be rebased");
                }
                merged = repo.git.commitOnto(merged, picked, c.getAuthorIdent(), gh, c.getFullMessage());
            }
        }
        repo.git.setBranch(p.baseBranch, merged);
        repo.pushedAt = hub.now();
        p.open = false;
        p.merged = true;
        p.mergedBy = actor;
        p.mergedAt = hub.now();
        p.closedAt = p.mergedAt;
        p.updatedAt = p.mergedAt;
        p.mergeCommitSha = merged.name();
        p.baseSha = base.name();
        hub.emit("pull_request", "closed", repo, actor, payload(p));
        return merged.name();
    }

    List<Label> addLabels(Pull p, List<String> names, User actor) {
        for (String n : names) {
            if (n == null || n.isBlank() || n.length() > 50) {
                throw new ApiError(422, Shapes.validation(null, "Label", "name", "invalid"));
            }
        }
        for (String n : names) {
            Label l = repo.labels.computeIfAbsent(n, k -> new Label(hub.nextId(), k, "ededed"));
            if (p.labels.add(n)) {
                p.updatedAt = hub.now();
                ObjectNode payload = payload(p);
                payload.set("label", hub.shapes().label(repo, l));
                hub.emit("pull_request", "labeled", repo, actor, payload);
            }
        }
        return labelsOf(p);
    }

    List<Label> removeLabel(Pull p, String name, User actor) {
        if (!p.labels.remove(name)) {
            throw new ApiError(404, "Label does not exist");
        }
        p.updatedAt = hub.now();
        ObjectNode payload = payload(p);
        payload.set("label", hub.shapes().label(repo, repo.labels.get(name)));
        hub.emit("pull_request", "unlabeled", repo, actor, payload);
        return labelsOf(p);
    }

    List<Label> labelsOf(Pull p) {
        List<Label> out = new ArrayList<>();
        for (String n : p.labels) {
            out.add(repo.labels.get(n));
        }
        return out;
    }

    CheckRun createCheckRun(App app, String name, String headSha) {
        Objects.requireNonNull(app, "app");
        CheckRun c = new CheckRun(hub.nextId(), hub.nextId(), headSha, name, app);
        c.startedAt = hub.now();
        repo.checkRuns.add(c);
        return c;
    }
}
