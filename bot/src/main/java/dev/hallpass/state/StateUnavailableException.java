package dev.hallpass.state;

/** The state database could not be read or written: the caller must not act as if it had been. */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message + ": " + StateDatabase.rootMessage(cause), cause);
    }
}
