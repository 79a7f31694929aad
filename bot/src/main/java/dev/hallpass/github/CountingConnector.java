package dev.hallpass.github;

import dev.hallpass.observe.HallpassMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Sees every HTTP exchange hub4j (or our raw calls, or a token refresh) makes: counts them (304s apart, as GitHub does
 * not count them), remembers the rate-limit headers and whether GitHub answers, and turns a rate-limited answer into
 * {@link RateLimitedIOException} with the time GitHub said to come back.
 */
final class CountingConnector implements GitHubConnector {
    /** GitHub's advice for a secondary limit that names no time: wait at least a minute. */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    private final GitHubConnector delegate;
    private final Clock clock;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private long remaining = -1;
    private Instant reset;
    private Instant limitedUntil;
    private Instant lastSuccess;
    private int failures;
    /** System.nanoTime() before which no call is sent: GitHub asks clients not to keep calling while limited. */
    private long quietUntilNanos;

    private boolean quiet;

    CountingConnector(GitHubConnector delegate, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        refuseWhileLimited(request);
        GitHubConnectorResponse r;
        try {
            r = delegate.send(request);
        } catch (IOException | RuntimeException e) {
            calls.incrementAndGet(); // it may have reached GitHub: assume it counted
            HallpassMetrics.shared().githubCall(0);
            synchronized (this) {
                failures++;
            }
            throw e;
        }
        int status = r.statusCode();
        HallpassMetrics.shared().githubCall(status);
        if (status == 304) {
            notModified.incrementAndGet();
        } else {
            calls.incrementAndGet();
        }
        Instant now = clock.instant();
        String remainingHeader = r.header("x-ratelimit-remaining");
        String resetHeader = r.header("x-ratelimit-reset");
        synchronized (this) {
            if (status >= 500) {
                failures++;
            } else {
                failures = 0;
                lastSuccess = now;
            }
            if (remainingHeader != null) {
                try {
                    remaining = Long.parseLong(remainingHeader.trim());
                    reset = resetHeader == null ? null : Instant.ofEpochSecond(Long.parseLong(resetHeader.trim()));
                } catch (NumberFormatException e) {
                    // A proxy's odd header must not fail the call; keep what we knew.
                }
            }
        }
        if (status == 403 || status == 429) {
            Optional<Instant> retryAt = rateLimitRetry(r, now);
            if (retryAt.isPresent()) {
                synchronized (this) {
                    limitedUntil = retryAt.get();
                    // Also measured on the monotonic clock, so a test's fixed Clock cannot keep the gateway quiet
                    // forever.
                    quiet = true;
                    quietUntilNanos = System.nanoTime()
                            + Duration.between(now, retryAt.get()).toNanos();
                }
                r.close();
                throw new RateLimitedIOException(
                        status,
                        request.method() + " " + request.url() + ": GitHub rate limit (" + status + "), retry at "
                                + retryAt.get(),
                        retryAt.get());
            }
        }
        return r;
    }

    private void refuseWhileLimited(GitHubConnectorRequest request) throws RateLimitedIOException {
        Instant retryAt;
        synchronized (this) {
            if (!quiet) {
                return;
            }
            long left = quietUntilNanos - System.nanoTime();
            // Over when either clock says so: real time for a test's fixed Clock, the Clock for one that is advanced.
            if (left <= 0 || !clock.instant().isBefore(limitedUntil)) {
                quiet = false;
                return;
            }
            retryAt = limitedUntil;
        }
        throw new RateLimitedIOException(
                0,
                request.method() + " " + request.url() + ": not sent, GitHub's rate limit holds until " + retryAt,
                retryAt);
    }

    /** When to retry, if this 403/429 is a rate limit (GitHub's rules; a plain 403 is a permission error). */
    static Optional<Instant> rateLimitRetry(GitHubConnectorResponse r, Instant now) {
        String retryAfter = r.header("retry-after");
        String remaining = r.header("x-ratelimit-remaining");
        String reset = r.header("x-ratelimit-reset");
        if (retryAfter != null) {
            try {
                return Optional.of(now.plusSeconds(Math.max(0, Long.parseLong(retryAfter.trim()))));
            } catch (NumberFormatException e) {
                return Optional.of(now.plus(SECONDARY_LIMIT_WAIT));
            }
        }
        if ("0".equals(remaining == null ? null : remaining.trim()) && reset != null) {
            try {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.trim()));
                return Optional.of(at.isAfter(now) ? at : now.plusSeconds(1));
            } catch (NumberFormatException e) {
                return Optional.of(now.plus(SECONDARY_LIMIT_WAIT));
            }
        }
        if (r.statusCode() == 429 || bodyMentionsRateLimit(r)) {
            return Optional.of(now.plus(SECONDARY_LIMIT_WAIT));
        }
        return Optional.empty();
    }

    private static boolean bodyMentionsRateLimit(GitHubConnectorResponse r) {
        try (InputStream in = r.bodyStream()) {
            if (in == null) {
                return false;
            }
            String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return text.toLowerCase(Locale.ROOT).contains("rate limit");
        } catch (IOException e) {
            return false;
        }
    }

    long calls() {
        return calls.get();
    }

    long notModified() {
        return notModified.get();
    }

    synchronized GitHubHealth health() {
        Instant now = clock.instant();
        return new GitHubHealth(
                remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining),
                Optional.ofNullable(reset),
                Optional.ofNullable(limitedUntil).filter(t -> t.isAfter(now)),
                Optional.ofNullable(lastSuccess),
                failures,
                calls.get(),
                notModified.get());
    }
}
