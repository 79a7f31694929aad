package dev.hallpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Login;
import dev.hallpass.request.Problem;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.Settings;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds the policy input documented in policies/README.md: the catalog, settings and on-call from the
 * base commit, the request from the head commit, the pull request's files and reviews, and state from
 * git history. Groups are expanded so the policy deals in logins only.
 */
public final class PolicyInput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyInput() {}

    /** What git history says right now, for the emergency rules. */
    public record State(int liveEmergencyGrants, List<OverdueReview> overdueReviews) {
        public State {
            overdueReviews = List.copyOf(overdueReviews);
        }

        public static State empty() {
            return new State(0, List.of());
        }
    }

    public record OverdueReview(String requestId, Login requester, Instant due) {}

    /** The input of a pull request that deletes no request file. */
    public static ObjectNode build(
            AccessRepo base,
            PullRequestFacts pr,
            Optional<RequestParser.Parsed> request,
            Optional<AccessRequest> previous,
            List<Problem> problems,
            State state,
            Instant now) {
        return build(base, pr, request, previous, Map.of(), problems, state, now);
    }

    /**
     * @param base the access repository read at the pull request's base commit
     * @param request the request file at the head commit, as far as it parsed
     * @param previous the same request at the base commit, when this changes an existing request
     * @param removed each request file the pull request deletes, as it was at the base commit (empty when it
     *     did not parse there)
     * @param problems validation problems of the pull request's files
     */
    public static ObjectNode build(
            AccessRepo base,
            PullRequestFacts pr,
            Optional<RequestParser.Parsed> request,
            Optional<AccessRequest> previous,
            Map<String, Optional<AccessRequest>> removed,
            List<Problem> problems,
            State state,
            Instant now) {
        Objects.requireNonNull(base, "base");
        ObjectNode in = JSON.createObjectNode();
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        in.put("now", second.toString());
        in.put("now_ns", Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano()));
        in.set("pull_request", pullRequest(pr));
        in.set(
                "request",
                request.flatMap(RequestParser.Parsed::request)
                        .<JsonNode>map(PolicyInput::request)
                        .orElseGet(() -> draft(request)));
        in.set("previous_request", previous.<JsonNode>map(PolicyInput::request).orElse(JSON.nullNode()));
        ArrayNode removedOut = in.putArray("removed_requests");
        new java.util.TreeMap<>(removed).forEach((path, r) -> {
            ObjectNode o = r.map(PolicyInput::request).orElseGet(JSON::createObjectNode);
            o.put("path", path);
            removedOut.add(o);
        });
        ArrayNode ps = in.putArray("problems");
        for (Problem p : problems) {
            ObjectNode o = ps.addObject();
            o.put("file", p.file());
            o.put("line", p.line());
            o.put("column", p.column());
            o.put("code", p.code());
            o.put("message", p.message());
        }
        Catalog cat = base.catalog().orElse(EMPTY_CATALOG);
        in.set("catalog", base.catalog().map(PolicyInput::sharedCatalog).orElseGet(() -> catalog(EMPTY_CATALOG)));
        in.set("settings", base.settings().<JsonNode>map(s -> settings(s, cat)).orElse(JSON.createObjectNode()));
        ObjectNode oncall = in.putObject("oncall");
        ObjectNode onCallNow = oncall.putObject("now");
        base.onCall()
                .ifPresent(oc -> oc.onCallAt(now).forEach((rotation, login) -> onCallNow.put(rotation, login.value())));
        ObjectNode st = in.putObject("state");
        st.put("live_emergency_grants", state.liveEmergencyGrants());
        ArrayNode overdue = st.putArray("overdue_reviews");
        for (OverdueReview r : state.overdueReviews()) {
            overdue.addObject()
                    .put("request_id", r.requestId())
                    .put("requester", r.requester().value())
                    .put("due", r.due().toString());
        }
        return in;
    }

    private static ObjectNode pullRequest(PullRequestFacts pr) {
        ObjectNode o = JSON.createObjectNode();
        o.put("number", pr.number());
        o.put("author", pr.author().toLowerCase(java.util.Locale.ROOT));
        o.put("author_is_hallpass", pr.authorIsHallpass());
        o.put("head_sha", pr.headSha());
        o.put("base_sha", pr.baseSha());
        ArrayNode files = o.putArray("files");
        for (PullRequestFacts.ChangedFile f : pr.files()) {
            ObjectNode fo = files.addObject().put("path", f.path()).put("status", f.status());
            f.previousPath().ifPresentOrElse(p -> fo.put("previous_path", p), () -> fo.putNull("previous_path"));
        }
        ArrayNode reviews = o.putArray("reviews");
        for (PullRequestFacts.ReviewFact r : pr.reviews()) {
            reviews.addObject()
                    .put("login", r.login().toLowerCase(java.util.Locale.ROOT))
                    .put("state", r.state())
                    .put("commit_id", r.commitId());
        }
        return o;
    }

    static ObjectNode request(AccessRequest r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id().value());
        o.put("requester", r.requester().value());
        o.put("role", r.role().value());
        o.put("environment", r.environment().value());
        o.put("duration_seconds", r.duration().value().getSeconds());
        o.put("reason", r.reason());
        o.put("emergency", r.emergency());
        r.incident().ifPresentOrElse(i -> o.put("incident", i), () -> o.putNull("incident"));
        r.start().ifPresentOrElse(s -> o.put("start", s.toString()), () -> o.putNull("start"));
        return o;
    }

    /** What parsed of a broken request, so the policy can still explain eligibility and the like. */
    private static JsonNode draft(Optional<RequestParser.Parsed> parsed) {
        if (parsed.isEmpty()) {
            return JSON.createObjectNode();
        }
        RequestParser.Draft d = parsed.get().draft();
        ObjectNode o = JSON.createObjectNode();
        d.id().ifPresent(v -> o.put("id", v.value()));
        d.requester().ifPresent(v -> o.put("requester", v.value()));
        d.role().ifPresent(v -> o.put("role", v.value()));
        d.environment().ifPresent(v -> o.put("environment", v.value()));
        d.duration().ifPresent(v -> o.put("duration_seconds", v.value().getSeconds()));
        o.put("emergency", d.emergency());
        d.incident().ifPresentOrElse(i -> o.put("incident", i), () -> o.putNull("incident"));
        return o;
    }

    private static final Catalog EMPTY_CATALOG = new Catalog(Map.of(), Map.of());

    /** The last catalogs rendered, by identity: a catalog is immutable, its JSON need not be rebuilt. */
    private static final Object[][] RENDERED = new Object[4][];

    private static int nextRendered;

    /**
     * The catalog's JSON, one node per catalog instance (treat it as read-only): with 10,000 roles,
     * rebuilding it per decision cost more than the decision, and the embedded engine also converts a
     * node it has seen before only once.
     */
    private static ObjectNode sharedCatalog(Catalog catalog) {
        synchronized (RENDERED) {
            for (Object[] e : RENDERED) {
                if (e != null && e[0] == catalog) {
                    return (ObjectNode) e[1];
                }
            }
        }
        ObjectNode node = catalog(catalog);
        synchronized (RENDERED) {
            RENDERED[nextRendered] = new Object[] {catalog, node};
            nextRendered = (nextRendered + 1) % RENDERED.length;
        }
        return node;
    }

    private static ObjectNode catalog(Catalog catalog) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode roles = o.putObject("roles");
        catalog.roles().values().stream()
                .sorted(java.util.Comparator.comparing(Catalog.Role::name))
                .forEach(role -> {
                    ObjectNode r = roles.putObject(role.name().value());
                    r.put("description", role.description());
                    r.put("max_duration_seconds", role.maxDuration().getSeconds());
                    r.put("emergency", role.emergency());
                    logins(r.putArray("eligible"), catalog.expand(role.eligible()));
                    logins(r.putArray("delegates"), catalog.expand(role.delegates()));
                    ObjectNode envs = r.putObject("environments");
                    role.environments().values().stream()
                            .sorted(java.util.Comparator.comparing(Catalog.RoleEnvironment::environment))
                            .forEach(env -> {
                                ObjectNode e = envs.putObject(env.environment().value());
                                e.put("approvals", env.approvals());
                                logins(e.putArray("approvers"), catalog.expand(env.approvers()));
                                e.put("provider", env.provider().value());
                                e.put("target", env.target());
                            });
                });
        return o;
    }

    private static void logins(ArrayNode out, java.util.Collection<Login> logins) {
        new TreeSet<>(logins).forEach(l -> out.add(l.value()));
    }

    private static ObjectNode settings(Settings s, Catalog catalog) {
        ObjectNode o = JSON.createObjectNode();
        logins(o.putArray("platform_owners"), catalog.expand(s.platformOwners()));
        ObjectNode e = o.putObject("emergency");
        e.put("max_duration_seconds", s.emergency().maxDuration().getSeconds());
        e.put("review_deadline_seconds", s.emergency().reviewDeadline().getSeconds());
        e.put("incident_pattern", s.emergency().incidentPattern().pattern());
        e.put("max_live_grants", s.emergency().maxLiveGrants());
        ObjectNode envs = o.putObject("environments");
        s.environments().values().stream()
                .sorted(java.util.Comparator.comparing(Settings.Environment::name))
                .forEach(env -> envs.putObject(env.name().value()).put("production", env.production()));
        return o;
    }
}
