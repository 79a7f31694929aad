package dev.hallpass.github;

/** A GitHub call got no (complete) answer in time. Status 0, like any call without a response; retryable. */
public final class GitHubTimeoutException extends GitHubException {
    private static final long serialVersionUID = 1L;

    public GitHubTimeoutException(String message, Throwable cause) {
        super(0, message, cause);
    }
}
