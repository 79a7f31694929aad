package dev.hallpass.policy;

import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.request.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The embedded engine for a base commit: Hallpass's shipped policies plus the access repository's own
 * {@code policies/*.rego} at that commit (tests excluded). Compiled sets are cached by content, so the
 * same base costs one compilation.
 */
public final class EmbeddedPolicySource implements PolicySource {
    public static final String REPO_POLICY_DIR = "policies/";
    private static final int MAX_POLICY_BYTES = 1024 * 1024;
    private static final int CACHE_SIZE = 16;

    private final Map<String, String> bundled;
    private final EvalOptions options;
    private final Map<String, EmbeddedRegoEngine> cache =
            Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, EmbeddedRegoEngine> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    public EmbeddedPolicySource(Map<String, String> bundled, EvalOptions options) {
        this.bundled = Map.copyOf(bundled);
        this.options = options;
    }

    /** With the policies shipped in the jar. */
    public static EmbeddedPolicySource withBundledPolicies() {
        return new EmbeddedPolicySource(bundledPolicies(), EvalOptions.DEFAULT);
    }

    @Override
    public PolicyEngine engineFor(RepoTree base) {
        Map<String, String> modules = new TreeMap<>(bundled);
        try {
            for (RepoTree.Entry e : base.list(REPO_POLICY_DIR)) {
                if (e.kind() == RepoTree.Kind.FILE
                        && e.path().endsWith(".rego")
                        && !e.path().endsWith("_test.rego")) {
                    byte[] bytes = base.read(e.path(), MAX_POLICY_BYTES).orElseThrow();
                    if (bytes.length > MAX_POLICY_BYTES) {
                        throw new IllegalStateException(e.path() + " is larger than " + MAX_POLICY_BYTES + " bytes");
                    }
                    modules.put("repo/" + e.path(), new String(bytes, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("reading policies at " + base.describe(), ex);
        }
        String key = digest(modules);
        EmbeddedRegoEngine cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        EmbeddedRegoEngine engine = EmbeddedRegoEngine.compile(modules, options);
        cache.put(key, engine);
        return engine;
    }

    /** The {@code .rego} files (not tests) under {@code /policies} on the classpath, by path. */
    public static Map<String, String> bundledPolicies() {
        URL url = EmbeddedPolicySource.class.getResource("/policies");
        if (url == null) {
            throw new IllegalStateException("the shipped policies are missing from the classpath");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return read(fs.provider().getPath(uri));
            }
            return read(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the shipped policies: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(Path root) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                String name = p.getFileName() == null ? "" : p.getFileName().toString();
                if (name.endsWith(".rego") && !name.endsWith("_test.rego")) {
                    out.put("policies/" + root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                }
            }
        }
        return out;
    }

    private static String digest(Map<String, String> modules) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            modules.forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
