package dev.hallpass.lifecycle;

import dev.hallpass.grant.Grant;
import java.util.List;
import java.util.Optional;

/**
 * What a repository's lifecycle keeps beyond the applied grants so that it can act without GitHub: the grants
 * git last said exist (the schedule a new leader enforces before it has read git) and the last
 * {@code hallpass.yaml} read (to build the providers while GitHub is down).
 */
public interface RepoStateStore {
    /** Remembers nothing: a process that starts while GitHub is down has only its applied grants. */
    RepoStateStore NONE = new RepoStateStore() {
        @Override
        public void saveSchedule(List<Grant> grants) {}

        @Override
        public Optional<List<Grant>> schedule() {
            return Optional.empty();
        }

        @Override
        public void saveSettings(String headSha, byte[] settingsYaml) {}

        @Override
        public Optional<byte[]> settings() {
            return Optional.empty();
        }
    };

    /** Replaces the schedule with the grants of the last successful read of git. */
    void saveSchedule(List<Grant> grants);

    /** The saved schedule; empty when none was ever saved. */
    Optional<List<Grant>> schedule();

    void saveSettings(String headSha, byte[] settingsYaml);

    Optional<byte[]> settings();
}
