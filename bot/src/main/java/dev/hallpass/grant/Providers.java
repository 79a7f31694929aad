package dev.hallpass.grant;

import dev.hallpass.request.AccessDuration;
import dev.hallpass.request.InvalidValueException;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.Settings;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** The providers by name, built from {@code hallpass.yaml}. */
public final class Providers {
    private final Map<ProviderName, Provider> byName;

    private Providers(Map<ProviderName, Provider> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Providers of(Collection<? extends Provider> providers) {
        Map<ProviderName, Provider> m = new LinkedHashMap<>();
        for (Provider p : providers) {
            if (m.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two providers named " + p.name());
            }
        }
        return new Providers(m);
    }

    /**
     * Builds every provider of {@code settings}. Secrets come only from {@code environment} (the process
     * environment in production), through the {@code *_env} settings that name its variables.
     *
     * @param repoRoot the access repository checkout: commands and their working directories are relative to it
     * @param teams how GitHub team providers reach GitHub; may be null when no such provider is configured
     * @throws ProviderConfigException listing every provider that cannot be built, and why
     */
    public static Providers fromSettings(
            Settings settings, Map<String, String> environment, Path repoRoot, TeamMembership teams) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(repoRoot, "repoRoot");
        List<String> problems = new ArrayList<>();
        Map<ProviderName, Provider> out = new LinkedHashMap<>();
        for (Settings.ProviderConfig config : settings.providers().values()) {
            int before = problems.size();
            Optional<Provider> p = build(config, settings, environment, repoRoot, teams, problems);
            if (problems.size() == before) {
                p.ifPresent(provider -> out.put(config.name(), provider));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProviderConfigException(problems);
        }
        return new Providers(out);
    }

    private static Optional<Provider> build(
            Settings.ProviderConfig c,
            Settings settings,
            Map<String, String> env,
            Path repoRoot,
            TeamMembership teams,
            List<String> problems) {
        String where = "provider '" + c.name() + "' (" + c.type() + ")";
        try {
            switch (c.type()) {
                case "postgres":
                    return postgres(c, env, where, problems);
                case "command":
                    return Optional.of(command(c, env, repoRoot));
                case "github-team":
                    if (teams == null) {
                        problems.add(where + ": no GitHub team client was supplied");
                        return Optional.empty();
                    }
                    String org =
                            c.string("organization").or(settings::organization).orElse(null);
                    if (org == null) {
                        problems.add(where + ": no organization, here or in hallpass.yaml");
                        return Optional.empty();
                    }
                    return Optional.of(new GitHubTeamProvider(c.name(), org, teams));
                default:
                    problems.add(where + ": unknown provider type");
                    return Optional.empty();
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            problems.add(where + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Provider> postgres(
            Settings.ProviderConfig c, Map<String, String> env, String where, List<String> problems) {
        Optional<String> url = c.string("jdbc_url");
        if (url.isEmpty()) {
            problems.add(where + ": jdbc_url is missing");
        }
        Optional<String> user = secret(c, "username_env", env, where, problems);
        Optional<String> password = secret(c, "password_env", env, where, problems);
        Object terminate = c.settings().getOrDefault("terminate_sessions", Boolean.TRUE);
        if (!(terminate instanceof Boolean)) {
            problems.add(where + ": terminate_sessions must be true or false");
            return Optional.empty();
        }
        PostgresProvider.Options options = new PostgresProvider.Options(
                c.string("login_template").orElse(PostgresProvider.Options.DEFAULT_TEMPLATE),
                (Boolean) terminate,
                PostgresProvider.NativeExpiry.parse(c.string("native_expiry").orElse("none")));
        if (url.isEmpty() || user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        Properties props = new Properties();
        props.setProperty("user", user.get());
        props.setProperty("password", password.get());
        // Defaults only (the URL wins): a hung database must fail the call, so the executor can retry.
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "120");
        props.setProperty("ApplicationName", "hallpass");
        String jdbcUrl = url.get();
        return Optional.of(new PostgresProvider(c.name(), () -> DriverManager.getConnection(jdbcUrl, props), options));
    }

    private static Optional<String> secret(
            Settings.ProviderConfig c, String key, Map<String, String> env, String where, List<String> problems) {
        Optional<String> var = c.string(key);
        if (var.isEmpty()) {
            problems.add(where + ": " + key + " is missing");
            return Optional.empty();
        }
        String value = env.get(var.get());
        if (value == null || value.isEmpty()) {
            problems.add(where + ": environment variable " + var.get() + " (named by " + key + ") is not set");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    @SuppressWarnings("unchecked")
    private static CommandProvider command(Settings.ProviderConfig c, Map<String, String> environment, Path repoRoot) {
        Object cmd = c.settings().get("command");
        if (!(cmd instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("command must be a non-empty list of strings");
        }
        Duration timeout = c.string("timeout")
                .map(t -> {
                    try {
                        return AccessDuration.parse(t).value();
                    } catch (InvalidValueException e) {
                        throw new IllegalArgumentException("timeout: " + e.getMessage(), e);
                    }
                })
                .orElse(CommandProvider.DEFAULT_TIMEOUT);
        Path dir =
                c.string("working_dir").map(repoRoot::resolve).orElse(repoRoot).normalize();
        Map<String, String> env = new LinkedHashMap<>();
        Object configured = c.settings().getOrDefault("env", Map.of());
        if (!(configured instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("env must be a mapping");
        }
        m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        Object pass = c.settings().getOrDefault("pass_env", CommandProvider.DEFAULT_PASS_ENV);
        if (!(pass instanceof List<?> names) || !names.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("pass_env must be a list of variable names");
        }
        Map<String, String> inherited = new LinkedHashMap<>();
        for (String name : (List<String>) names) {
            String v = environment.get(name);
            if (v != null) {
                inherited.put(name, v);
            }
        }
        return new CommandProvider(
                c.name(), new CommandProvider.Config((List<String>) list, timeout, dir, env, inherited));
    }

    /** The provider named {@code name}; a grant naming an unknown provider is a configuration error. */
    public Provider get(ProviderName name) {
        Provider p = byName.get(name);
        if (p == null) {
            throw new ProviderConfigException(List.of("no provider named '" + name + "' is configured"));
        }
        return p;
    }

    public Optional<Provider> find(ProviderName name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<ProviderName> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** The same providers, each of which only dry-runs. */
    public Providers dryRun() {
        Map<ProviderName, Provider> m = new LinkedHashMap<>();
        byName.forEach((n, p) -> m.put(n, p instanceof DryRunProvider ? p : new DryRunProvider(p)));
        return new Providers(m);
    }
}
