package dev.hallpass.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.github.RepoName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InProcessRepositoryLockTest {
    private final InProcessRepositoryLock lock = new InProcessRepositoryLock();

    @Test
    void withLock_whenSameRepositoryInAnyCase_waitsForTheHolder() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder =
                CompletableFuture.runAsync(() -> lock.withLock(new RepoName("acme", "access"), () -> {
                    holding.countDown();
                    await(release);
                    return null;
                }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Void> second =
                CompletableFuture.runAsync(() -> lock.withLock(new RepoName("ACME", "Access"), () -> {
                    ran.set(true);
                    return null;
                }));

        // A bounded negative check: without the lock the second would be done long before.
        assertThrows(java.util.concurrent.TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS));
        assertFalse(ran.get(), "still waiting while the first holds the lock");
        release.countDown();
        second.get(10, TimeUnit.SECONDS);
        holder.get(10, TimeUnit.SECONDS);
        assertTrue(ran.get());
    }

    @Test
    void withLock_whenOtherRepository_doesNotWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> holder =
                CompletableFuture.runAsync(() -> lock.withLock(new RepoName("acme", "access"), () -> {
                    holding.countDown();
                    await(release);
                    return null;
                }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));

        String other = CompletableFuture.supplyAsync(() -> lock.withLock(new RepoName("acme", "other"), () -> "done"))
                .get(10, TimeUnit.SECONDS);

        assertEquals("done", other);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void withLock_whenWorkThrows_releasesTheLock() {
        RepoName repo = new RepoName("acme", "access");
        try {
            lock.withLock(repo, () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the work's failure reaches the caller
        }
        assertEquals("again", lock.withLock(repo, () -> "again"));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
