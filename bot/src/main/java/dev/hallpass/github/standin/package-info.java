/**
 * A stand-in for GitHub: one coherent fake, not per-test stubs.
 *
 * <p>{@link dev.hallpass.github.standin.GitHubStandIn} runs a real HTTP server (Javalin, loopback, ephemeral port)
 * answering the REST endpoints Hallpass uses with GitHub's JSON shapes (checked against GitHub's OpenAPI description
 * by a test), status codes (401/403/404/405/409/422), {@code Link} pagination and {@code X-RateLimit-*} headers. Data
 * lives in an in-memory JGit repository per {@link dev.hallpass.github.standin.StandInRepository}: pushes, merges (a
 * two-parent merge commit, a squash, or a rebase replaying the head's commits, as the repository's {@code
 * setMergeMethods} allows; a disabled method answers 405) and contents-API deletes are real commits, and {@code
 * compare/{base}...{head}} diffs real trees against their merge base.
 *
 * <p>People act through the Java API (push, open, review, comment, merge, label); the bot acts over HTTP; both paths run
 * the same operations and send the same signed webhooks. Every 200 answer to a GET carries a weak ETag and an
 * {@code If-None-Match} naming it gets a 304 that does not count against the rate limit, as on GitHub. Fault
 * injection: {@code failNextRequests} (a status, e.g. 5xx), {@code hangRequests} (answer late or never; holds no
 * lock), {@code rateLimitRequests} (primary: 403 with {@code x-ratelimit-remaining: 0} and a reset; secondary: 429
 * with {@code Retry-After}), {@code clearFaults}, {@code setMergeable}, {@code setRateLimit},
 * {@code revokeInstallationTokens}; a stand-in in another process is switched with {@code POST /_standin/faults}
 * ({@code {"kind", "path", "status", "delay_ms", "count"}}) and {@code DELETE /_standin/faults}. Traffic:
 * {@code requestLog()}.
 * Races: {@code beforeNextRequest} runs a person's action (say {@code forcePush}) just before the bot's next
 * matching request.
 *
 * <p>Simplifications: one default branch ({@code main}), same-repository pull requests only, mergeability computed at
 * once (never {@code null} for open PRs), every
 * user token may write every repository, and no branch protection.
 */
package dev.hallpass.github.standin;
