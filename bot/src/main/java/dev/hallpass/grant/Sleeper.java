package dev.hallpass.grant;

import java.time.Duration;

/** Waits between retries; injected so tests record the back-off instead of sleeping through it. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
