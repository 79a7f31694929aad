package dev.hallpass.request;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the access repository's files: the working tree, or one git commit. The bot reads
 * the catalog at a pull request's base commit and the request at its head commit through this.
 */
public interface RepoTree {

    /** For messages: "working tree /x/y" or "commit 1a2b3c4 (main)". */
    String describe();

    /**
     * The bytes of the regular file at {@code path} (relative, forward slashes), at most {@code limit} + 1
     * of them so callers can tell a file is too large without reading it all; empty when there is no
     * regular file there.
     */
    Optional<byte[]> read(String path, int limit) throws IOException;

    /** Every entry under {@code dir} (recursively), sorted by path. */
    List<Entry> list(String dir) throws IOException;

    enum Kind {
        FILE,
        SYMLINK,
        OTHER
    }

    record Entry(String path, Kind kind) {}
}
