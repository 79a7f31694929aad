package dev.hallpass.request;

import java.util.Objects;

/** A file read from the access repository: its repository-relative path and its raw bytes. */
public record SourceFile(String path, byte[] bytes) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
    }
}
