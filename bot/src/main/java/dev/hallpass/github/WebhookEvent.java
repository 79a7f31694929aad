package dev.hallpass.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The parts of a webhook delivery the bot routes on, parsed from the raw body after the signature check. Unknown
 * events and actions parse fine; {@link #isRelevant()} tells the server whether to queue work for them.
 * {@code reviewState} is upper-cased to match {@link Review.State} (webhooks send "approved", the REST API
 * "APPROVED").
 */
public record WebhookEvent(
        String event,
        String action,
        RepoName repo,
        String sender,
        OptionalInt pullRequestNumber,
        Optional<String> headSha,
        OptionalLong installationId,
        OptionalLong commentId,
        Optional<String> commentBody,
        Optional<String> reviewState,
        Optional<PullRequest> pullRequest) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> PR_ACTIONS = Set.of("opened", "synchronize", "reopened", "closed", "edited");

    /** An event without the pull request's copy (as built by hand; a parsed one carries it when it is readable). */
    public WebhookEvent(
            String event,
            String action,
            RepoName repo,
            String sender,
            OptionalInt pullRequestNumber,
            Optional<String> headSha,
            OptionalLong installationId,
            OptionalLong commentId,
            Optional<String> commentBody,
            Optional<String> reviewState) {
        this(
                event,
                action,
                repo,
                sender,
                pullRequestNumber,
                headSha,
                installationId,
                commentId,
                commentBody,
                reviewState,
                Optional.empty());
    }

    public WebhookEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(pullRequest, "pullRequest");
        action = action == null ? "" : action;
        Objects.requireNonNull(repo, "repo");
        GitHubNames.login(sender);
    }

    /**
     * A valid event that is not about one repository ({@code installation}, {@code github_app_authorization}, ...):
     * nothing for Hallpass to do, and no reason to make GitHub report a failed delivery.
     */
    public static final class NotAboutARepository extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotAboutARepository(String message) {
            super(message);
        }
    }

    /**
     * @param event the {@code X-GitHub-Event} header
     * @param body the raw, already verified request body
     * @throws NotAboutARepository when the event names no repository
     * @throws IllegalArgumentException when the body is not a repository event we can read
     */
    public static WebhookEvent parse(String event, byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("webhook body is not JSON", e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("webhook body is not a JSON object");
        }
        JsonNode repo = n.path("repository").path("full_name");
        if (n.path("repository").isMissingNode() || n.path("repository").isNull()) {
            throw new NotAboutARepository(event + " event without a repository");
        }
        if (!repo.isTextual()) {
            throw new IllegalArgumentException("webhook has no repository.full_name");
        }
        OptionalInt number = OptionalInt.empty();
        Optional<String> head = Optional.empty();
        Optional<PullRequest> copy = Optional.empty();
        JsonNode pr = n.get("pull_request");
        if (pr != null && pr.isObject()) {
            number = OptionalInt.of(pr.path("number").asInt());
            head = Optional.ofNullable(pr.path("head").path("sha").textValue());
            try {
                // GitHub's copy of the pull request as of the event: saves reading it again right away.
                copy = Optional.of(GitHubJson.pullRequest(RepoName.parse(repo.asText()), pr));
            } catch (RuntimeException e) {
                copy = Optional.empty(); // an unusual payload: the evaluation reads the pull request itself
            }
        } else if (n.path("issue").has("pull_request")) {
            // issue_comment on a pull request: the issue number is the PR number; the head needs a fetch.
            number = OptionalInt.of(n.path("issue").path("number").asInt());
        }
        JsonNode inst = n.path("installation").path("id");
        JsonNode comment = n.get("comment");
        JsonNode review = n.get("review");
        return new WebhookEvent(
                event,
                n.path("action").asText(""),
                RepoName.parse(repo.asText()),
                n.path("sender").path("login").asText(),
                number,
                head,
                inst.canConvertToLong() ? OptionalLong.of(inst.asLong()) : OptionalLong.empty(),
                comment != null && comment.has("id")
                        ? OptionalLong.of(comment.path("id").asLong())
                        : OptionalLong.empty(),
                comment != null ? Optional.ofNullable(comment.path("body").textValue()) : Optional.empty(),
                review != null
                        ? Optional.ofNullable(review.path("state").textValue())
                                .map(st -> st.toUpperCase(java.util.Locale.ROOT))
                        : Optional.empty(),
                copy);
    }

    /** Events that can change an evaluation: PR lifecycle, reviews, and comments on pull requests. */
    public boolean isRelevant() {
        switch (event) {
            case "pull_request":
                return PR_ACTIONS.contains(action);
            case "pull_request_review":
                return action.equals("submitted") || action.equals("dismissed") || action.equals("edited");
            case "issue_comment":
                return pullRequestNumber.isPresent();
            default:
                return false;
        }
    }
}
