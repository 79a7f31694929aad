package dev.hallpass.github;

/**
 * A GitHub call failed. {@code status} is the HTTP status, or 0 when no response arrived (network, parse).
 * Unchecked so the narrow gateway interface stays free of IOException plumbing; callers that retry look at
 * {@link #isRetryable()}.
 */
public class GitHubException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public GitHubException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /** Server-side trouble, rate limiting or no response at all: worth another try later. */
    public boolean isRetryable() {
        return status == 0
                || status == 429
                || status >= 500
                || status == 403
                        && getMessage() != null
                        && getMessage().toLowerCase(java.util.Locale.ROOT).contains("rate limit");
    }
}
