package dev.hallpass.grant;

/** Told of every provider call as it finishes, successful or not; must not throw. */
@FunctionalInterface
public interface AttemptListener {
    AttemptListener NONE = a -> {};

    void attempted(Attempt attempt);
}
