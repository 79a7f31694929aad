package dev.hallpass.github;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** A file a pull request touches. {@code previousPath} is set for renames (and copies). */
public record ChangedFile(String path, Status status, Optional<String> previousPath) {
    public enum Status {
        ADDED,
        MODIFIED,
        REMOVED,
        RENAMED,
        COPIED,
        CHANGED,
        UNCHANGED;

        /** GitHub's lower-case wire name. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String s) {
            return valueOf(Objects.requireNonNull(s, "status").toUpperCase(Locale.ROOT));
        }
    }

    public ChangedFile {
        GitHubNames.path(path);
        Objects.requireNonNull(status, "status");
        previousPath = Objects.requireNonNull(previousPath, "previousPath").map(GitHubNames::path);
    }
}
