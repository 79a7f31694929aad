package dev.hallpass.request;

/**
 * A value type refused its input. {@code reason} is the last segment of the stable problem code (e.g.
 * {@code non_ascii}); the parser prefixes it with the field, giving {@code request.requester.non_ascii}.
 */
public final class InvalidValueException extends IllegalArgumentException {
    private final String reason;

    public InvalidValueException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
