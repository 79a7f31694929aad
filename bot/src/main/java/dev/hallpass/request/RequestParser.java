package dev.hallpass.request;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses a request file into an {@link AccessRequest}, collecting every problem. */
public final class RequestParser {
    static final Set<String> FIELDS = Set.of(
            "apiVersion",
            "kind",
            "requester",
            "role",
            "environment",
            "duration",
            "reason",
            "emergency",
            "incident",
            "start");

    private final YamlReader yaml;

    public RequestParser(YamlReader yaml) {
        this.yaml = yaml;
    }

    public RequestParser() {
        this(new YamlReader());
    }

    /**
     * A request file as far as it could be read: {@code draft} holds every field that parsed, so cross-checks
     * still report on them; {@code request} is present only when the file itself had no problem.
     */
    public record Parsed(String file, Draft draft, Optional<AccessRequest> request, Map<String, Pos> positions) {
        public Pos pos(String field) {
            return positions.getOrDefault(field, Pos.FILE);
        }
    }

    /** The fields of a request that parsed, whatever happened to the others. */
    public record Draft(
            Optional<RequestId> id,
            Optional<Login> requester,
            Optional<RoleName> role,
            Optional<EnvironmentName> environment,
            Optional<AccessDuration> duration,
            boolean emergency,
            Optional<String> incident) {}

    /** Parses {@code file}, which must live at {@code requests/<id>.yaml}. */
    public Optional<Parsed> parse(SourceFile file, Problems problems) {
        return parse(file, idOf(file.path(), problems), problems);
    }

    /** Parses an example request, whose id is its file name wherever it lives. */
    public Optional<Parsed> parseExample(SourceFile file, Problems problems) {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        return parse(file, idOf(RequestId.DIRECTORY + name, problems), problems);
    }

    private Optional<Parsed> parse(SourceFile file, Optional<RequestId> id, Problems problems) {
        String path = file.path();
        int before = problems.size();
        Optional<YNode> root = yaml.read(file, YamlReader.REQUEST_MAX_BYTES, problems);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Optional<Fields> opened = Fields.open(path, "request", root.get(), FIELDS, problems);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Fields f = opened.get();
        header(f, AccessRequest.KIND);
        Optional<Login> requester = f.value("requester", true, Login::new);
        Optional<RoleName> role = f.value("role", true, RoleName::new);
        Optional<EnvironmentName> env = f.value("environment", true, EnvironmentName::new);
        Optional<AccessDuration> duration = f.value("duration", true, AccessDuration::parse);
        Optional<String> reason = f.string("reason", true);
        reason.ifPresent(r -> {
            if (r.isBlank()) {
                f.problem(f.valuePos("reason"), "request.reason.empty", "reason is empty: say why you need access");
            } else if (r.length() > AccessRequest.MAX_REASON_LENGTH) {
                f.problem(
                        f.valuePos("reason"),
                        "request.reason.too_long",
                        "reason is longer than " + AccessRequest.MAX_REASON_LENGTH + " characters");
            }
        });
        boolean emergency = f.bool("emergency").orElse(false);
        Optional<String> incident = f.string("incident", false);
        incident.ifPresent(i -> {
            if (i.isBlank() || i.length() > 100 || !i.strip().equals(i)) {
                f.problem(
                        f.valuePos("incident"),
                        "request.incident.invalid",
                        "incident id must be 1-100 characters without surrounding spaces");
            }
        });
        if (emergency && f.node("incident", false).isEmpty()) {
            f.problem(
                    f.keyPos("emergency"),
                    "request.incident.required",
                    "an emergency request needs 'incident' (the incident id, e.g. INC-4211)");
        }
        Optional<Instant> start = f.instant("start", false);
        Draft draft = new Draft(id, requester, role, env, duration, emergency, incident);
        Optional<AccessRequest> request = Optional.empty();
        if (problems.size() == before && id.isPresent()) {
            request = Optional.of(new AccessRequest(
                    id.get(),
                    requester.get(),
                    role.get(),
                    env.get(),
                    duration.get(),
                    reason.get(),
                    emergency,
                    incident,
                    start));
        }
        return Optional.of(new Parsed(path, draft, request, f.positions()));
    }

    /** Checks {@code apiVersion} and {@code kind}, which every Hallpass file carries. */
    static void header(Fields f, String kind) {
        f.string("apiVersion", true).ifPresent(v -> {
            if (!AccessRequest.API_VERSION.equals(v)) {
                f.problem(
                        f.valuePos("apiVersion"),
                        f.code("apiVersion", "unsupported"),
                        "apiVersion must be " + AccessRequest.API_VERSION + ", got '" + Login.printable(v) + "'");
            }
        });
        f.string("kind", true).ifPresent(v -> {
            if (!kind.equals(v)) {
                f.problem(
                        f.valuePos("kind"),
                        f.code("kind", "wrong"),
                        "kind must be " + kind + " in this file, got '" + Login.printable(v) + "'");
            }
        });
    }

    /** The id a request path stands for, reporting paths that are not {@code requests/<id>.yaml}. */
    public static Optional<RequestId> idOf(String path, Problems problems) {
        if (!path.startsWith(RequestId.DIRECTORY)) {
            problems.add(
                    path, Pos.FILE, "request.path.outside_requests", "request files live directly under requests/");
            return Optional.empty();
        }
        String rest = path.substring(RequestId.DIRECTORY.length());
        if (rest.contains("/")) {
            problems.add(
                    path,
                    Pos.FILE,
                    "request.path.nested",
                    "request files live directly under requests/, not in sub-directories");
            return Optional.empty();
        }
        if (!rest.endsWith(RequestId.SUFFIX)) {
            problems.add(path, Pos.FILE, "request.path.extension", "request files end in .yaml");
            return Optional.empty();
        }
        String name = rest.substring(0, rest.length() - RequestId.SUFFIX.length());
        try {
            return Optional.of(new RequestId(name));
        } catch (InvalidValueException e) {
            problems.add(path, Pos.FILE, "request.id." + e.reason(), e.getMessage());
            return Optional.empty();
        }
    }
}
