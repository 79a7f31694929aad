package dev.hallpass.request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The access repository as files on disk. Symbolic links are never followed. */
public final class DirectoryTree implements RepoTree {
    private final Path root;

    public DirectoryTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "working tree " + root;
    }

    @Override
    public Optional<byte[]> read(String path, int limit) throws IOException {
        Path p = resolve(path);
        if (p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(in.readNBytes(limit + 1));
        }
    }

    @Override
    public List<Entry> list(String dir) throws IOException {
        Path d = resolve(dir);
        List<Entry> out = new ArrayList<>();
        if (d == null || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(d)) {
            walk.filter(p -> !p.equals(d)).forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    out.add(new Entry(rel, Kind.SYMLINK));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Entry(rel, Kind.FILE));
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Entry(rel, Kind.OTHER));
                }
            });
        }
        out.sort(java.util.Comparator.comparing(Entry::path));
        return out;
    }

    /** Null for paths that would leave the root ({@code ..}, absolute paths). */
    private Path resolve(String path) {
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return null;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return null;
            }
        }
        Path p = root.resolve(path).normalize();
        return p.startsWith(root) ? p : null;
    }
}
