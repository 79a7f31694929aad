package dev.hallpass.policy;

import dev.hallpass.policy.rego.Ast;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.request.Problem;
import dev.hallpass.request.RepoTree;
import dev.hallpass.util.ClasspathFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        modules.putAll(repoModules(base, false));
        String key = digest(modules);
        EmbeddedRegoEngine cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        EmbeddedRegoEngine engine = EmbeddedRegoEngine.compile(modules, options);
        cache.put(key, engine);
        return engine;
    }

    /**
     * Compiles the repository's {@code policies/*.rego} with the shipped policies, as {@link #engineFor}
     * will, then with the repository's tests too: each error is a problem ({@code policy.<rego code>},
     * e.g. {@code policy.rego_parse_error}) at its file, line and column. An empty list means every
     * evaluation at this base can at least start.
     */
    public List<Problem> check(RepoTree base) {
        Map<String, String> modules = new TreeMap<>(bundled);
        try {
            modules.putAll(repoModules(base, false));
        } catch (IllegalStateException | UncheckedIOException e) {
            return List.of(new Problem(REPO_POLICY_DIR, 0, 0, "policy.unreadable", e.getMessage()));
        }
        try {
            compile(modules);
            modules.putAll(repoModules(base, true));
            compile(modules);
            return List.of();
        } catch (RegoException e) {
            return List.of(problem(e));
        }
    }

    private void compile(Map<String, String> modules) {
        RegoCompiler compiler = new RegoCompiler();
        modules.forEach(compiler::addModule);
        compiler.compile();
    }

    private static Problem problem(RegoException e) {
        Ast.Loc loc = e.loc();
        String file = loc == null ? REPO_POLICY_DIR : loc.file();
        if (file.startsWith("repo/")) {
            file = file.substring("repo/".length());
        }
        return new Problem(
                file,
                loc == null ? 0 : Math.max(0, loc.row()),
                loc == null ? 0 : Math.max(0, loc.col()),
                "policy." + e.code(),
                e.detail());
    }

    /** The repository's policies by module name ({@code repo/policies/...}); tests only when asked. */
    private static Map<String, String> repoModules(RepoTree base, boolean tests) {
        Map<String, String> modules = new TreeMap<>();
        try {
            for (RepoTree.Entry e : base.list(REPO_POLICY_DIR)) {
                if (e.kind() == RepoTree.Kind.FILE
                        && e.path().endsWith(".rego")
                        && e.path().endsWith("_test.rego") == tests) {
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
        return modules;
    }

    /** The {@code .rego} files (not tests) under {@code /policies} on the classpath, by path. */
    public static Map<String, String> bundledPolicies() {
        Map<String, String> out = new TreeMap<>();
        ClasspathFiles.read("policies", p -> p.endsWith(".rego") && !p.endsWith("_test.rego"))
                .forEach((path, bytes) -> out.put("policies/" + path, new String(bytes, StandardCharsets.UTF_8)));
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
