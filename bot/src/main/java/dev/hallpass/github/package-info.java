/**
 * Hallpass's GitHub layer.
 *
 * <p>{@link dev.hallpass.github.GitHubGateway} is the only GitHub API the rest of Hallpass sees: Hallpass records in,
 * Hallpass records out. {@link dev.hallpass.github.Hub4jGitHubGateway} implements it over hub4j's github-api, with
 * {@link dev.hallpass.github.GitHubAuth} choosing a plain token or GitHub App installation auth (RS256 JWTs signed with
 * java.security, installation tokens refreshed five minutes before expiry). Every HTTP exchange, token refreshes
 * included, goes through one counting connector ({@code apiCalls()}).
 *
 * <p>A typical evaluation costs 9 calls once the repository metadata is cached (1 more the first time per repository,
 * and 3 per hour for an App token): pull request, files, reviews, file at base, file at head, list check runs +
 * create/update, list comments + create/edit sticky comment (the edit is skipped when the text is unchanged).
 *
 * <p>Webhooks: {@link dev.hallpass.github.WebhookSignature} verifies {@code X-Hub-Signature-256} in constant time, and
 * {@link dev.hallpass.github.WebhookEvent} parses what a server needs to route a delivery.
 *
 * <p>{@link dev.hallpass.github.standin.GitHubStandIn} is a local GitHub for tests and the offline demo.
 */
package dev.hallpass.github;
