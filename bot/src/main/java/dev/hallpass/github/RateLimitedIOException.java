package dev.hallpass.github;

import java.io.IOException;
import java.time.Instant;

/** Thrown by the connector for a rate-limited answer, so hub4j's calls and raw calls surface it the same way. */
final class RateLimitedIOException extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient Instant retryAt;

    RateLimitedIOException(int status, String message, Instant retryAt) {
        super(message);
        this.status = status;
        this.retryAt = retryAt;
    }
}
