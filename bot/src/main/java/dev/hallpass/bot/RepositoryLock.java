package dev.hallpass.bot;

import dev.hallpass.github.RepoName;
import java.util.function.Supplier;

/**
 * Mutual exclusion per access repository, around "read the live grants → decide → merge" for emergencies, so
 * concurrent pull requests cannot all see room under {@code emergency.max_live_grants} and all merge. Implementations
 * may span processes (several {@code hallpass serve} replicas); one that cannot take the lock throws, and nothing is
 * merged (fail closed).
 */
@FunctionalInterface
public interface RepositoryLock {
    /** Runs {@code work} while no other holder of this lock works on {@code repo}; returns its result. */
    <T> T withLock(RepoName repo, Supplier<T> work);
}
