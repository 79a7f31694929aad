package dev.hallpass.util;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads a directory that ships inside the jar (or in target/classes during development). */
public final class ClasspathFiles {
    private ClasspathFiles() {}

    /**
     * Every regular file under classpath directory {@code root} whose relative path passes {@code include},
     * by relative path with forward slashes.
     */
    public static Map<String, byte[]> read(String root, Predicate<String> include) {
        URL url = ClasspathFiles.class.getResource("/" + root);
        if (url == null) {
            throw new IllegalStateException("/" + root + " is missing from the classpath");
        }
        try {
            URI uri = url.toURI();
            Path dir;
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                dir = fs.provider().getPath(uri);
            } else {
                dir = Path.of(uri);
            }
            Map<String, byte[]> out = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    if (include.test(rel)) {
                        out.put(rel, Files.readAllBytes(p));
                    }
                }
            }
            return out;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read /" + root + " from the classpath: " + e.getMessage(), e);
        }
    }
}
