package dev.hallpass.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The project's {@code access-repo-template/}, which tests read or copy as a realistic access repository. */
public final class TemplateRepo {
    public static final Path ROOT =
            Path.of(System.getProperty("hallpass.root", "..")).toAbsolutePath().normalize();
    public static final Path PATH = ROOT.resolve("access-repo-template");

    private TemplateRepo() {}

    /** Copies the template into {@code to} (which may exist). */
    public static void copyTo(Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(PATH)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(PATH.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
