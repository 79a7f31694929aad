package dev.hallpass.request;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses the platform team's files: {@code hallpass.yaml}, {@code catalog/*.yaml}, {@code oncall.yaml}. */
public final class ConfigParser {
    /** Provider types Hallpass knows, and the settings each accepts. */
    static final Map<String, Set<String>> PROVIDER_SETTINGS = Map.of(
            "postgres",
                    Set.of(
                            "type",
                            "description",
                            "jdbc_url",
                            "username_env",
                            "password_env",
                            "terminate_sessions",
                            "login_template",
                            "native_expiry"),
            "github-team", Set.of("type", "description", "organization"),
            "command", Set.of("type", "description", "command", "timeout", "working_dir", "env", "pass_env"));

    /** Setting names that look like secrets must be references to environment variables instead. */
    private static final Pattern SECRET_LIKE = Pattern.compile(".*(password|secret|token|private_key|credential).*");

    private final YamlReader yaml;

    public ConfigParser(YamlReader yaml) {
        this.yaml = yaml;
    }

    public ConfigParser() {
        this(new YamlReader());
    }

    private Optional<Fields> open(SourceFile file, String prefix, String kind, Set<String> fields, Problems problems) {
        return yaml.read(file, YamlReader.CONFIG_MAX_BYTES, problems)
                .flatMap(root -> Fields.open(file.path(), prefix, root, fields, problems))
                .map(f -> {
                    RequestParser.header(f, kind);
                    return f;
                });
    }

    // ---------------------------------------------------------------------------------------- settings

    public Optional<Settings> settings(SourceFile file, Problems problems) {
        int before = problems.size();
        Optional<Fields> opened = open(
                file,
                "settings",
                "Settings",
                Set.of(
                        "apiVersion",
                        "kind",
                        "organization",
                        "environments",
                        "emergency",
                        "providers",
                        "review",
                        "platform_owners"),
                problems);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Fields f = opened.get();
        Optional<String> org = f.string("organization", false);
        Map<EnvironmentName, Settings.Environment> envs = new LinkedHashMap<>();
        named(f, "environments", true, "settings.environment", EnvironmentName::new)
                .forEach((name, node) -> Fields.open(
                                f.file(), "settings.environment", node, Set.of("description", "production"), problems)
                        .ifPresent(e -> envs.put(
                                name,
                                new Settings.Environment(
                                        name,
                                        e.string("description", false).orElse(""),
                                        e.bool("production").orElse(true)))));
        if (envs.isEmpty() && f.has("environments")) {
            f.problem(f.valuePos("environments"), "settings.environments.empty", "declare at least one environment");
        }
        Optional<Settings.Emergency> emergency = f.node("emergency", true).flatMap(n -> emergency(f, n));
        Map<ProviderName, Settings.ProviderConfig> providers = new LinkedHashMap<>();
        named(f, "providers", true, "settings.provider", ProviderName::new)
                .forEach((name, node) -> provider(f, name, node).ifPresent(p -> providers.put(name, p)));
        boolean dismissStale = f.node("review", false)
                .flatMap(n -> Fields.open(f.file(), "settings.review", n, Set.of("dismiss_stale_approvals"), problems))
                .flatMap(r -> r.bool("dismiss_stale_approvals"))
                .orElse(true);
        List<Principal> platformOwners = f.list("platform_owners", false, Principal::parse);
        if (problems.size() > before || emergency.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Settings(org, envs, emergency.get(), providers, new Settings.Review(dismissStale), platformOwners));
    }

    private Optional<Settings.Emergency> emergency(Fields parent, YNode node) {
        Problems problems = parent.problems();
        Optional<Fields> opened = Fields.open(
                parent.file(),
                "settings.emergency",
                node,
                Set.of("max_duration", "review_deadline", "incident_pattern", "max_live_grants"),
                problems);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Fields e = opened.get();
        Optional<AccessDuration> max = e.value("max_duration", true, AccessDuration::parse);
        Optional<AccessDuration> deadline = e.value("review_deadline", true, AccessDuration::parse);
        Optional<Pattern> pattern = e.string("incident_pattern", true).flatMap(p -> {
            try {
                return Optional.of(Pattern.compile(p));
            } catch (PatternSyntaxException ex) {
                e.problem(
                        e.valuePos("incident_pattern"),
                        "settings.emergency.incident_pattern.invalid",
                        "incident_pattern is not a valid regular expression: " + ex.getDescription());
                return Optional.empty();
            }
        });
        int maxLive = e.integer("max_live_grants", false, 1, 1000).orElse(5);
        if (max.isEmpty() || deadline.isEmpty() || pattern.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Settings.Emergency(max.get().value(), deadline.get().value(), pattern.get(), maxLive));
    }

    private Optional<Settings.ProviderConfig> provider(Fields parent, ProviderName name, YNode node) {
        Problems problems = parent.problems();
        String file = parent.file();
        if (!(node instanceof YNode.Mapping m)) {
            problems.add(file, node.pos(), "settings.provider.wrong_type", "provider '" + name + "' must be a mapping");
            return Optional.empty();
        }
        YNode typeNode = m.entries().get("type");
        if (!(typeNode instanceof YNode.Scalar ts) || !(ts.value() instanceof String type)) {
            problems.add(file, m.pos(), "settings.provider.type.missing", "provider '" + name + "' needs a 'type'");
            return Optional.empty();
        }
        Set<String> known = PROVIDER_SETTINGS.get(type);
        if (known == null) {
            problems.add(
                    file,
                    typeNode.pos(),
                    "settings.provider.type.unknown",
                    "provider type '" + Login.printable(type) + "' is not one of "
                            + PROVIDER_SETTINGS.keySet().stream().sorted().toList());
            return Optional.empty();
        }
        int before = problems.size();
        Fields f = Fields.open(file, "settings.provider", node, known, problems).orElseThrow();
        Map<String, Object> settings = new LinkedHashMap<>();
        for (var e : m.entries().entrySet()) {
            String key = e.getKey();
            if (!known.contains(key) || key.equals("type")) {
                continue;
            }
            if (SECRET_LIKE.matcher(key.toLowerCase(Locale.ROOT)).matches() && !key.endsWith("_env")) {
                problems.add(
                        file,
                        f.keyPos(key),
                        "settings.provider.secret_literal",
                        "'" + key + "' looks like a secret: name an environment variable with '" + key
                                + "_env' instead");
                continue;
            }
            settings.put(key, plain(e.getValue()));
        }
        switch (type) {
            case "postgres" -> {
                f.string("native_expiry", false)
                        .filter(v -> !v.equals("none") && !v.equals("valid_until"))
                        .ifPresent(v -> f.problem(
                                f.valuePos("native_expiry"),
                                "settings.provider.native_expiry.invalid",
                                "native_expiry must be 'none' or 'valid_until'"));
                f.string("login_template", false)
                        .filter(v -> !v.contains("{login}")
                                || !v.replace("{login}", "x").matches("[a-z0-9_]{1,63}"))
                        .ifPresent(v -> f.problem(
                                f.valuePos("login_template"),
                                "settings.provider.login_template.invalid",
                                "login_template must contain {login} and otherwise only lowercase letters, digits"
                                        + " and underscores"));
                f.string("jdbc_url", true).ifPresent(url -> {
                    if (!url.startsWith("jdbc:postgresql:")) {
                        f.problem(
                                f.valuePos("jdbc_url"),
                                "settings.provider.jdbc_url.invalid",
                                "jdbc_url must start with jdbc:postgresql:");
                    } else if (url.toLowerCase(Locale.ROOT).contains("password=")) {
                        f.problem(
                                f.valuePos("jdbc_url"),
                                "settings.provider.secret_literal",
                                "jdbc_url must not carry a password: use password_env");
                    }
                });
            }
            case "command" -> {
                if (f.list("command", true, s -> s).isEmpty() && f.has("command")) {
                    f.problem(
                            f.valuePos("command"),
                            "settings.provider.command.empty",
                            "command must be a non-empty list of strings");
                }
                f.value("timeout", false, AccessDuration::parse);
            }
            default -> {}
        }
        for (var e : settings.entrySet()) {
            if (e.getKey().endsWith("_env") && !(e.getValue() instanceof String s && s.matches("[A-Z_][A-Z0-9_]*"))) {
                f.problem(
                        f.valuePos(e.getKey()),
                        "settings.provider.env_reference.invalid",
                        "'" + e.getKey() + "' must name an environment variable such as HALLPASS_PG_PASSWORD");
            }
        }
        return problems.size() > before
                ? Optional.empty()
                : Optional.of(new Settings.ProviderConfig(name, type, settings));
    }

    /** Plain Java data for provider settings, which providers interpret themselves. */
    private static Object plain(YNode n) {
        if (n instanceof YNode.Scalar s) {
            return s.value();
        }
        if (n instanceof YNode.Seq seq) {
            List<Object> out = new ArrayList<>();
            seq.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((YNode.Mapping) n).entries().forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }

    // ----------------------------------------------------------------------------------------- catalog

    public Map<GroupName, Catalog.Group> groups(SourceFile file, Problems problems) {
        Map<GroupName, Catalog.Group> out = new LinkedHashMap<>();
        open(file, "catalog.groups", "Groups", Set.of("apiVersion", "kind", "groups"), problems)
                .ifPresent(f -> named(f, "groups", true, "catalog.group", GroupName::new)
                        .forEach((name, node) -> Fields.open(
                                        f.file(), "catalog.group", node, Set.of("description", "members"), problems)
                                .ifPresent(g -> {
                                    List<Login> members = g.list("members", true, Login::new);
                                    out.put(
                                            name,
                                            new Catalog.Group(
                                                    name,
                                                    g.string("description", false)
                                                            .orElse(""),
                                                    members));
                                })));
        return out;
    }

    /** Parsed roles and where each was declared, for cross-check problems. */
    public record ParsedRoles(Map<RoleName, Catalog.Role> roles, Map<RoleName, Pos> positions) {}

    public ParsedRoles roles(SourceFile file, Problems problems) {
        Map<RoleName, Catalog.Role> out = new LinkedHashMap<>();
        Map<RoleName, Pos> positions = new LinkedHashMap<>();
        open(file, "catalog.roles", "Roles", Set.of("apiVersion", "kind", "roles"), problems)
                .ifPresent(f -> named(f, "roles", true, "catalog.role", RoleName::new)
                        .forEach((name, node) -> {
                            positions.put(name, node.pos());
                            role(f, name, node).ifPresent(r -> out.put(name, r));
                        }));
        return new ParsedRoles(out, positions);
    }

    private Optional<Catalog.Role> role(Fields parent, RoleName name, YNode node) {
        Problems problems = parent.problems();
        Optional<Fields> opened = Fields.open(
                parent.file(),
                "catalog.role",
                node,
                Set.of(
                        "description",
                        "max_duration",
                        "emergency",
                        "eligible",
                        "delegates",
                        "provider",
                        "target",
                        "approvers",
                        "environments"),
                problems);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Fields f = opened.get();
        int before = problems.size();
        String description = f.string("description", true).orElse("");
        Optional<AccessDuration> max = f.value("max_duration", true, AccessDuration::parse);
        boolean emergency = f.bool("emergency").orElse(false);
        List<Principal> eligible = f.list("eligible", true, Principal::parse);
        List<Principal> delegates = f.list("delegates", false, Principal::parse);
        Optional<ProviderName> provider = f.value("provider", false, ProviderName::new);
        Optional<String> target = f.string("target", false);
        List<Principal> approvers = f.list("approvers", false, Principal::parse);
        Map<EnvironmentName, Catalog.RoleEnvironment> envs = new LinkedHashMap<>();
        named(f, "environments", true, "catalog.role.environment", EnvironmentName::new)
                .forEach((env, envNode) -> Fields.open(
                                f.file(),
                                "catalog.role.environment",
                                envNode,
                                Set.of("provider", "target", "approvals", "approvers"),
                                problems)
                        .ifPresent(e -> {
                            Optional<ProviderName> p = e.value("provider", false, ProviderName::new)
                                    .or(() -> provider);
                            Optional<String> t = e.string("target", false).or(() -> target);
                            int approvals = e.integer("approvals", true, 0, 10).orElse(0);
                            List<Principal> envApprovers =
                                    e.has("approvers") ? e.list("approvers", false, Principal::parse) : approvers;
                            if (p.isEmpty()) {
                                e.problem(
                                        e.pos(),
                                        "catalog.role.environment.provider.missing",
                                        "no provider for role '" + name + "' in " + env
                                                + " (set it on the role or the environment)");
                            }
                            if (t.isEmpty()) {
                                e.problem(
                                        e.pos(),
                                        "catalog.role.environment.target.missing",
                                        "no target for role '" + name + "' in " + env
                                                + " (set it on the role or the environment)");
                            }
                            if (approvals > 0 && envApprovers.isEmpty()) {
                                e.problem(
                                        e.pos(),
                                        "catalog.role.environment.approvers.missing",
                                        approvals + " approval(s) needed in " + env + " but nobody may approve");
                            }
                            if (p.isPresent() && t.isPresent()) {
                                envs.put(
                                        env,
                                        new Catalog.RoleEnvironment(env, p.get(), t.get(), approvals, envApprovers));
                            }
                        }));
        if (problems.size() > before || max.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Catalog.Role(name, description, max.get().value(), emergency, eligible, delegates, envs));
    }

    // ----------------------------------------------------------------------------------------- on-call

    public Optional<OnCall> onCall(SourceFile file, Problems problems) {
        int before = problems.size();
        Map<String, OnCall.Rotation> rotations = new LinkedHashMap<>();
        open(file, "oncall", "OnCall", Set.of("apiVersion", "kind", "rotations"), problems)
                .ifPresent(f -> named(
                                f, "rotations", true, "oncall.rotation", s -> Name.check("rotation name", s, Name.SLUG))
                        .forEach((name, node) -> rotation(f, name, node).ifPresent(r -> rotations.put(name, r))));
        return problems.size() > before ? Optional.empty() : Optional.of(new OnCall(rotations));
    }

    private Optional<OnCall.Rotation> rotation(Fields parent, String name, YNode node) {
        Problems problems = parent.problems();
        Optional<Fields> opened = Fields.open(
                parent.file(),
                "oncall.rotation",
                node,
                Set.of("description", "time_zone", "handoff", "shift", "first_day", "people", "overrides"),
                problems);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Fields f = opened.get();
        int before = problems.size();
        Optional<ZoneId> zone = f.string("time_zone", true)
                .flatMap(z -> parseOr(f, "time_zone", z, ZoneId::of, "not an IANA time zone such as Europe/Berlin"));
        Optional<LocalTime> handoff = f.string("handoff", true)
                .flatMap(h -> parseOr(f, "handoff", h, LocalTime::parse, "handoff is a local time such as 09:00"));
        Optional<AccessDuration> shift = f.value("shift", true, AccessDuration::parse);
        Optional<LocalDate> first = f.string("first_day", true)
                .flatMap(d -> parseOr(f, "first_day", d, LocalDate::parse, "first_day is a date such as 2026-11-02"));
        List<Login> people = f.list("people", true, Login::new);
        List<OnCall.Override> overrides = new ArrayList<>();
        f.node("overrides", false).ifPresent(n -> {
            if (!(n instanceof YNode.Seq seq)) {
                f.problem(n.pos(), "oncall.rotation.overrides.wrong_type", "overrides must be a list");
                return;
            }
            for (YNode item : seq.items()) {
                Fields.open(f.file(), "oncall.override", item, Set.of("person", "from", "until"), problems)
                        .ifPresent(o -> {
                            var person = o.value("person", true, Login::new);
                            var from = o.instant("from", true);
                            var until = o.instant("until", true);
                            if (person.isPresent() && from.isPresent() && until.isPresent()) {
                                o.convert(
                                                "until",
                                                o.valuePos("until"),
                                                "",
                                                x -> new OnCall.Override(person.get(), from.get(), until.get()))
                                        .ifPresent(overrides::add);
                            }
                        });
            }
        });
        if (problems.size() > before || zone.isEmpty() || handoff.isEmpty() || shift.isEmpty() || first.isEmpty()) {
            return Optional.empty();
        }
        return f.convert(
                "people",
                f.pos(),
                "",
                x -> new OnCall.Rotation(
                        name, zone.get(), handoff.get(), shift.get().value(), first.get(), people, overrides));
    }

    private static <T> Optional<T> parseOr(
            Fields f, String key, String raw, java.util.function.Function<String, T> parse, String hint) {
        try {
            return Optional.of(parse.apply(raw));
        } catch (DateTimeException | IllegalArgumentException e) {
            f.problem(f.valuePos(key), f.code(key, "invalid"), "'" + Login.printable(raw) + "': " + hint);
            return Optional.empty();
        }
    }

    /**
     * A mapping field whose keys are names (environments, roles, groups...): returns each valid name with
     * its node, reporting keys that are not valid names.
     */
    private static <N> Map<N, YNode> named(
            Fields f, String key, boolean required, String prefix, java.util.function.Function<String, N> parse) {
        Map<N, YNode> out = new LinkedHashMap<>();
        Map<String, YNode> entries = f.mapping(key, required);
        if (entries.isEmpty()) {
            return out;
        }
        YNode.Mapping m = (YNode.Mapping) f.node(key, true).orElseThrow();
        entries.forEach((k, v) -> {
            try {
                out.put(parse.apply(k), v);
            } catch (InvalidValueException e) {
                f.problem(m.keyPos().get(k), prefix + ".name." + e.reason(), e.getMessage());
            }
        });
        return out;
    }
}
