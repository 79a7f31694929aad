/**
 * Hallpass's GitHub layer.
 *
 * <p>{@link dev.hallpass.github.GitHubGateway} is the only GitHub API the rest of Hallpass sees: Hallpass records in,
 * Hallpass records out. {@link dev.hallpass.github.Hub4jGitHubGateway} implements it over hub4j's github-api, with
 * {@link dev.hallpass.github.GitHubAuth} choosing a plain token or GitHub App installation auth (RS256 JWTs signed with
 * java.security, installation tokens refreshed five minutes before expiry). Every HTTP exchange, token refreshes
 * included, goes through one chain of connectors: {@code BoundedHttpConnector} (connect timeout and a deadline for the
 * whole exchange, {@link dev.hallpass.github.GitHubTimeouts}; a timeout is a
 * {@link dev.hallpass.github.GitHubTimeoutException}), {@code CountingConnector} (counts calls and 304s apart, keeps
 * the rate-limit headers and reachability for {@code health()}, and turns a 403/429 rate limit into a
 * {@link dev.hallpass.github.GitHubRateLimitException} carrying GitHub's retry time; while a limit holds nothing is
 * sent) and {@code ConditionalConnector} (ETag / {@code If-None-Match} per credential and URL, a 304 served from the
 * remembered body).
 *
 * <p>The budget: a {@code synchronize} push costs 3 counted calls (the changed files, the request at the new head,
 * the new check run; the pull request comes from the webhook, reviews, comments and the branch tip are free 304s, the
 * sticky comment is edited by its remembered id only when its text changes). The configuration at a commit is one
 * git-trees call plus blobs by sha, which are shared between commits.
 *
 * <p>Webhooks: {@link dev.hallpass.github.WebhookSignature} verifies {@code X-Hub-Signature-256} in constant time, and
 * {@link dev.hallpass.github.WebhookEvent} parses what a server needs to route a delivery.
 *
 * <p>{@link dev.hallpass.github.standin.GitHubStandIn} is a local GitHub for tests and the offline demo.
 */
package dev.hallpass.github;
