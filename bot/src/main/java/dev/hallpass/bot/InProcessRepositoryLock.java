package dev.hallpass.bot;

import dev.hallpass.github.RepoName;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** A {@link RepositoryLock} for one process: one fair lock per repository (names compared as GitHub does). */
public final class InProcessRepositoryLock implements RepositoryLock {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T withLock(RepoName repo, Supplier<T> work) {
        ReentrantLock lock =
                locks.computeIfAbsent(repo.fullName().toLowerCase(Locale.ROOT), k -> new ReentrantLock(true));
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
