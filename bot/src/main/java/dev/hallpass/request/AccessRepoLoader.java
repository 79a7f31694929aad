package dev.hallpass.request;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and cross-checks a whole access repository from a {@link RepoTree}. Never throws for bad content:
 * everything wrong becomes a {@link Problem}.
 */
public final class AccessRepoLoader {
    /** Example requests for engineers: validated, never granted. */
    public static final String EXAMPLES = RequestId.DIRECTORY + "examples/";

    private final YamlReader yaml = new YamlReader();
    private final ConfigParser config = new ConfigParser(yaml);
    private final RequestParser requests = new RequestParser(yaml);

    /** Reads the platform team's configuration only (settings, catalog, on-call), as at a base commit. */
    public AccessRepo loadConfig(RepoTree tree) {
        return load(tree, false, false);
    }

    /** Reads the configuration, every request and the examples (which are checked, never granted). */
    public AccessRepo load(RepoTree tree) {
        return load(tree, true, true);
    }

    /**
     * Reads the configuration and the live requests only: what grants are rebuilt from. Skipping the examples
     * saves reading them through the GitHub API on every new head.
     */
    public AccessRepo loadGrantable(RepoTree tree) {
        return load(tree, true, false);
    }

    private AccessRepo load(RepoTree tree, boolean withRequests, boolean withExamples) {
        Problems problems = new Problems();
        Optional<Settings> settings = file(tree, Settings.FILE, problems).flatMap(f -> config.settings(f, problems));
        var groups = file(tree, Catalog.GROUPS_FILE, problems)
                .map(f -> config.groups(f, problems))
                .orElse(Map.of());
        var roles = file(tree, Catalog.ROLES_FILE, problems)
                .map(f -> config.roles(f, problems))
                .orElse(new ConfigParser.ParsedRoles(Map.of(), Map.of()));
        Optional<OnCall> onCall = file(tree, OnCall.FILE, problems).flatMap(f -> config.onCall(f, problems));
        Catalog catalog = new Catalog(roles.roles(), groups);
        Map<RequestId, RequestParser.Parsed> parsed = new LinkedHashMap<>();
        List<RequestParser.Parsed> all = new ArrayList<>();
        if (withRequests) {
            readRequests(tree, problems, parsed, all, withExamples);
        }
        Validator.check(settings, catalog, roles, onCall, all, problems);
        return new AccessRepo(tree.describe(), settings, Optional.of(catalog), onCall, parsed, problems.sorted());
    }

    /** Parses one request file (e.g. a pull request's head version) and cross-checks it against {@code base}. */
    public Optional<RequestParser.Parsed> parseRequest(AccessRepo base, SourceFile file, Problems problems) {
        Optional<RequestParser.Parsed> parsed = requests.parse(file, problems);
        parsed.ifPresent(
                p -> Validator.checkRequest(base.settings(), base.catalog().orElseThrow(), Set.of(), p, problems));
        return parsed;
    }

    private void readRequests(
            RepoTree tree,
            Problems problems,
            Map<RequestId, RequestParser.Parsed> out,
            List<RequestParser.Parsed> drafts,
            boolean withExamples) {
        try {
            for (RepoTree.Entry e : tree.list(RequestId.DIRECTORY)) {
                String path = e.path();
                if (path.equals(RequestId.DIRECTORY + "README.md") || path.endsWith("/.gitkeep")) {
                    continue;
                }
                if (path.startsWith(EXAMPLES) && e.kind() == RepoTree.Kind.FILE && path.endsWith(RequestId.SUFFIX)) {
                    if (!withExamples) {
                        continue;
                    }
                    // Examples are checked like requests, so they stay true, but never become grants.
                    file(tree, path, problems, YamlReader.REQUEST_MAX_BYTES)
                            .flatMap(f -> requests.parseExample(f, problems))
                            .ifPresent(drafts::add);
                    continue;
                }
                if (e.kind() != RepoTree.Kind.FILE) {
                    problems.add(
                            path,
                            Pos.FILE,
                            "request.path.not_regular_file",
                            "symbolic links and submodules are not allowed under requests/");
                    continue;
                }
                if (path.endsWith(".yml")) {
                    problems.add(path, Pos.FILE, "request.path.extension", "request files end in .yaml, not .yml");
                    continue;
                }
                if (!path.endsWith(RequestId.SUFFIX)
                        && !path.substring(RequestId.DIRECTORY.length()).contains("/")) {
                    problems.add(
                            path,
                            Pos.FILE,
                            "request.path.unexpected",
                            "only request files (<id>.yaml) and README.md belong in requests/");
                    continue;
                }
                file(tree, path, problems, YamlReader.REQUEST_MAX_BYTES)
                        .flatMap(f -> requests.parse(f, problems))
                        .ifPresent(p -> {
                            drafts.add(p);
                            p.request().ifPresent(r -> out.put(r.id(), p));
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<SourceFile> file(RepoTree tree, String path, Problems problems) {
        Optional<SourceFile> f = file(tree, path, problems, YamlReader.CONFIG_MAX_BYTES);
        if (f.isEmpty()) {
            problems.add(path, Pos.FILE, "repo.missing_file", "the access repository needs " + path);
        }
        return f;
    }

    private static Optional<SourceFile> file(RepoTree tree, String path, Problems problems, int limit) {
        try {
            return tree.read(path, limit).map(b -> new SourceFile(path, b));
        } catch (IOException e) {
            problems.add(path, Pos.FILE, "repo.read_error", "cannot read: " + e.getMessage());
            return Optional.empty();
        }
    }
}
