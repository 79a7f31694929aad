package dev.hallpass.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedWorkQueueTest {

    @Test
    void submit_whenSameKeyArrivesWhileRunning_runsOnceMoreWithLatestWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (KeyedWorkQueue q = new KeyedWorkQueue(2, 10, e -> {})) {
            q.submit("pr-1", () -> {
                started.countDown();
                await(release);
                ran.add("first");
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertEquals(KeyedWorkQueue.Admission.RERUN_SCHEDULED, q.submit("pr-1", () -> ran.add("second")));
            assertEquals(KeyedWorkQueue.Admission.RERUN_SCHEDULED, q.submit("pr-1", () -> ran.add("third")));
            release.countDown();
            assertTrue(q.awaitIdle(5000));
        }
        assertEquals(List.of("first", "third"), ran);
    }

    @Test
    void submit_whenDifferentKeys_runsThemInParallel() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        AtomicInteger overlapped = new AtomicInteger();
        try (KeyedWorkQueue q = new KeyedWorkQueue(2, 10, e -> {})) {
            for (String key : List.of("pr-1", "pr-2")) {
                q.submit(key, () -> {
                    both.countDown();
                    if (await(both)) {
                        overlapped.incrementAndGet();
                    }
                });
            }
            assertTrue(q.awaitIdle(5000));
        }
        assertEquals(2, overlapped.get());
    }

    @Test
    void submit_whenSameKeyNeverRunsConcurrently() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        try (KeyedWorkQueue q = new KeyedWorkQueue(4, 10, e -> {})) {
            for (int i = 0; i < 200; i++) {
                q.submit("pr-1", () -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                });
            }
            assertTrue(q.awaitIdle(5000));
        }
        assertEquals(1, maxInside.get());
    }

    @Test
    void submit_whenTooManyKeysWait_rejects() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (KeyedWorkQueue q = new KeyedWorkQueue(1, 2, e -> {})) {
            q.submit("a", () -> await(release));
            q.submit("b", () -> {});
            assertEquals(KeyedWorkQueue.Admission.REJECTED_FULL, q.submit("c", () -> {}));
            assertEquals(KeyedWorkQueue.Admission.COALESCED, q.submit("b", () -> {}));
            release.countDown();
            assertTrue(q.awaitIdle(5000));
            assertEquals(KeyedWorkQueue.Admission.QUEUED, q.submit("c", () -> {}));
        }
    }

    @Test
    void submit_whenTaskThrows_reportsAndKeepsWorking() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger ok = new AtomicInteger();
        try (KeyedWorkQueue q = new KeyedWorkQueue(1, 10, errors::add)) {
            q.submit("a", () -> {
                throw new IllegalStateException("boom");
            });
            assertTrue(q.awaitIdle(5000));
            q.submit("a", ok::incrementAndGet);
            assertTrue(q.awaitIdle(5000));
        }
        assertEquals(1, errors.size());
        assertEquals(1, ok.get());
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
