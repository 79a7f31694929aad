package dev.hallpass.github.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.GitHubNames;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn.Answer;
import dev.hallpass.github.standin.GitHubStandIn.ApiError;
import dev.hallpass.github.standin.StandInModel.App;
import dev.hallpass.github.standin.StandInModel.CheckRun;
import dev.hallpass.github.standin.StandInModel.Comment;
import dev.hallpass.github.standin.StandInModel.Installation;
import dev.hallpass.github.standin.StandInModel.Label;
import dev.hallpass.github.standin.StandInModel.Principal;
import dev.hallpass.github.standin.StandInModel.Pull;
import dev.hallpass.github.standin.StandInModel.Repo;
import dev.hallpass.github.standin.StandInModel.Review;
import dev.hallpass.github.standin.StandInModel.Team;
import dev.hallpass.github.standin.StandInModel.User;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The REST endpoints. Called with the stand-in's monitor held; path segments arrive decoded. Only what Hallpass (via
 * hub4j or its own raw calls) uses is implemented; anything else is a 404, as GitHub answers for unknown routes.
 */
final class StandInApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final GitHubStandIn hub;

    StandInApi(GitHubStandIn hub) {
        this.hub = hub;
    }

    static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return F.objectNode();
        }
        try {
            return Shapes.JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiError(400, "Problems parsing JSON");
        }
    }

    private static String str(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiError(
                    422,
                    Shapes.validation(
                            "Invalid request. For '" + field + "', " + v + " is not a string.",
                            "Request",
                            field,
                            "invalid"));
        }
        return v.asText();
    }

    private static String required(JsonNode body, String field, String resource) {
        String v = str(body, field);
        if (v == null) {
            throw new ApiError(422, Shapes.validation(null, resource, field, "missing_field"));
        }
        return v;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ApiError(404, "Not Found");
        }
    }

    private static long id(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ApiError(404, "Not Found");
        }
    }

    private static boolean is(List<String> seg, int size, String... literals) {
        if (seg.size() != size) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] != null && !literals[i].equals(seg.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String rawPath(Context ctx) {
        return ctx.path();
    }

    Answer route(String method, List<String> seg, String query, byte[] rawBody, Principal p, Context ctx) {
        Shapes s = hub.shapes();
        if (is(seg, 1, "rate_limit") && method.equals("GET")) {
            long used = hub.rateUsed(p);
            long limit = hub.rateLimitValue();
            return Answer.ok(s.rateLimit(limit, Math.max(0, limit - used), used, hub.rateReset()));
        }
        if (seg.size() >= 1 && seg.get(0).equals("app") || is(seg, 4, "repos", null, null, "installation")) {
            return appRoutes(method, seg, rawBody, p);
        }
        if (p.app != null) {
            // A JWT only authenticates as the app itself.
            throw new ApiError(
                    403, "A JSON web token cannot be used to access this resource; use an installation" + " token");
        }
        if (is(seg, 1, "user") && method.equals("GET")) {
            if (p.installation != null) {
                throw new ApiError(403, "Resource not accessible by integration");
            }
            return Answer.ok(s.privateUser(p.user, hub.userCreated(p.user.login)));
        }
        if (is(seg, 2, "users") && method.equals("GET")) {
            User u = hub.findUser(seg.get(1));
            if (u == null) {
                throw new ApiError(404, "Not Found");
            }
            return Answer.ok(s.publicUser(u, hub.userCreated(u.login)));
        }
        if (is(seg, 6, "orgs", null, "teams", null, "memberships")) {
            return teamMembership(method, seg.get(1), seg.get(3), seg.get(5), p);
        }
        if (seg.size() >= 3 && seg.get(0).equals("repos")) {
            RepoName name;
            try {
                name = new RepoName(seg.get(1), seg.get(2));
            } catch (IllegalArgumentException e) {
                throw new ApiError(404, "Not Found");
            }
            Repo repo = hub.repo(name);
            if (repo == null || p.installation != null && !p.installation.repos.contains(name)) {
                throw new ApiError(404, "Not Found");
            }
            return repoRoutes(
                    method, seg.subList(3, seg.size()), query, rawBody, p, new StandInRepository(hub, repo), ctx);
        }
        throw new ApiError(404, "Not Found");
    }

    // ---------------------------------------------------------------- apps

    private Answer appRoutes(String method, List<String> seg, byte[] rawBody, Principal p) {
        if (p.app == null) {
            throw new ApiError(401, "A JSON web token could not be decoded");
        }
        Shapes s = hub.shapes();
        App app = p.app;
        if (is(seg, 1, "app") && method.equals("GET")) {
            return Answer.ok(s.integration(app));
        }
        if (is(seg, 3, "app", "installations") && method.equals("GET")) {
            return Answer.ok(s.installation(ownInstallation(app, seg.get(2))));
        }
        if (is(seg, 4, "app", "installations", null, "access_tokens") && method.equals("POST")) {
            Installation i = ownInstallation(app, seg.get(2));
            String token = hub.mintInstallationToken(i);
            ObjectNode n = F.objectNode();
            n.put("token", token);
            n.put("expires_at", Shapes.time(hub.tokenExpiry(token)));
            ObjectNode perms = n.putObject("permissions");
            for (String k : new String[] {"checks", "contents", "issues", "pull_requests", "members"}) {
                perms.put(k, "write");
            }
            perms.put("metadata", "read");
            n.put("repository_selection", "selected");
            return Answer.created(n);
        }
        if (seg.get(0).equals("repos") && method.equals("GET")) {
            RepoName name;
            try {
                name = new RepoName(seg.get(1), seg.get(2));
            } catch (IllegalArgumentException e) {
                throw new ApiError(404, "Not Found");
            }
            Installation i = hub.installationFor(app, name);
            if (i == null) {
                throw new ApiError(404, "Not Found");
            }
            return Answer.ok(s.installation(i));
        }
        throw new ApiError(404, "Not Found");
    }

    private Installation ownInstallation(App app, String idText) {
        Installation i = hub.installation(id(idText));
        if (i == null || i.app.id != app.id) {
            throw new ApiError(404, "Not Found");
        }
        return i;
    }

    // ---------------------------------------------------------------- teams

    private Answer teamMembership(String method, String org, String slug, String login, Principal p) {
        if (p.installation != null && !p.installation.account.login.equalsIgnoreCase(org)) {
            throw new ApiError(403, "Resource not accessible by integration");
        }
        Team t = hub.team(org, slug);
        if (t == null) {
            throw new ApiError(404, "Not Found");
        }
        User u = hub.findUser(login);
        if (u == null) {
            throw new ApiError(404, "Not Found");
        }
        String url = hub.shapes().api() + "/teams/" + t.id + "/memberships/" + Shapes.enc(u.login);
        switch (method) {
            case "GET": {
                String role = t.members.get(u.login);
                if (role == null && !t.pending.contains(u.login)) {
                    throw new ApiError(404, "Not Found");
                }
                return Answer.ok(membership(url, role == null ? "member" : role, role == null ? "pending" : "active"));
            }
            case "PUT": {
                if (hub.isOrgMember(org, u.login)) {
                    t.pending.remove(u.login);
                    t.members.putIfAbsent(u.login, "member");
                    return Answer.ok(membership(url, t.members.get(u.login), "active"));
                }
                t.pending.add(u.login);
                return Answer.ok(membership(url, "member", "pending"));
            }
            case "DELETE": {
                boolean had = t.members.remove(u.login) != null | t.pending.remove(u.login);
                if (!had) {
                    throw new ApiError(404, "Not Found");
                }
                return Answer.noContent();
            }
            default:
                throw new ApiError(404, "Not Found");
        }
    }

    private static ObjectNode membership(String url, String role, String state) {
        ObjectNode n = F.objectNode();
        n.put("url", url);
        n.put("role", role);
        n.put("state", state);
        return n;
    }

    // ---------------------------------------------------------------- repositories

    private Answer repoRoutes(
            String method,
            List<String> seg,
            String query,
            byte[] rawBody,
            Principal p,
            StandInRepository r,
            Context ctx) {
        Shapes s = hub.shapes();
        Repo repo = r.repo();
        Map<String, String> q = query(query);
        String m = method;
        if (seg.isEmpty() && m.equals("GET")) {
            return Answer.ok(s.repository(repo));
        }
        String head = seg.isEmpty() ? "" : seg.get(0);
        switch (head) {
            case "pulls":
                return pulls(m, seg, q, query, rawBody, p, r, ctx);
            case "issues":
                return issues(m, seg, query, rawBody, p, r, ctx);
            case "check-runs":
                return checkRuns(m, seg, rawBody, p, r);
            case "commits":
                if (seg.size() == 1 && m.equals("GET")) {
                    return listCommits(q, query, r, ctx);
                }
                if (seg.size() == 3 && seg.get(2).equals("pulls") && m.equals("GET")) {
                    return pullsOfCommit(seg.get(1), query, r, ctx);
                }
                if (seg.size() >= 3 && seg.get(seg.size() - 1).equals("check-runs") && m.equals("GET")) {
                    // The ref may be a sha or a branch name with slashes.
                    return listCheckRuns(String.join("/", seg.subList(1, seg.size() - 1)), q, r, ctx);
                }
                break;
            case "compare":
                if (seg.size() >= 2 && m.equals("GET")) {
                    // BASE...HEAD; branch names may hold slashes.
                    return compare(String.join("/", seg.subList(1, seg.size())), q, r);
                }
                break;
            case "git":
                return gitRefs(m, seg, q, rawBody, r);
            case "contents":
                if (seg.size() >= 2) {
                    return contents(m, String.join("/", seg.subList(1, seg.size())), q, rawBody, p, r);
                }
                break;
            default:
                break;
        }
        throw new ApiError(404, "Not Found");
    }

    private Answer pulls(
            String m,
            List<String> seg,
            Map<String, String> q,
            String query,
            byte[] rawBody,
            Principal p,
            StandInRepository r,
            Context ctx) {
        Repo repo = r.repo();
        if (seg.size() == 1) {
            if (m.equals("GET")) {
                String state = q.getOrDefault("state", "open");
                if (!state.equals("open") && !state.equals("closed") && !state.equals("all")) {
                    throw new ApiError(422, Shapes.validation(null, "Request", "state", "invalid"));
                }
                List<JsonNode> items = new ArrayList<>();
                for (Pull pr : repo.pulls.values()) {
                    boolean match = state.equals("all") || pr.open == state.equals("open");
                    String headFilter = q.get("head");
                    if (headFilter != null && !headFilter.equals(repo.name.owner() + ":" + pr.headBranch)) {
                        match = false;
                    }
                    if (q.containsKey("base") && !q.get("base").equals(pr.baseBranch)) {
                        match = false;
                    }
                    if (match) {
                        items.add(r.pullJson(pr, false));
                    }
                }
                // GitHub lists newest first by default.
                java.util.Collections.reverse(items);
                return hub.paginate(items, rawPath(ctx), query);
            }
            if (m.equals("POST")) {
                JsonNode b = json(rawBody);
                Pull pr = r.createPull(
                        p.actor(),
                        required(b, "head", "PullRequest"),
                        required(b, "base", "PullRequest"),
                        str(b, "title"),
                        str(b, "body"),
                        b.path("draft").asBoolean(false));
                return Answer.created(r.pullJson(pr, true));
            }
        }
        if (seg.size() < 2) {
            throw new ApiError(404, "Not Found");
        }
        Pull pr = r.pull(number(seg.get(1)));
        if (seg.size() == 2 && m.equals("GET")) {
            return Answer.ok(r.pullJson(pr, true));
        }
        if (seg.size() == 3 && seg.get(2).equals("files") && m.equals("GET")) {
            ObjectId base = pr.open ? repo.git.branch(pr.baseBranch) : ObjectId.fromString(pr.baseSha);
            List<JsonNode> items = new ArrayList<>();
            for (GitStore.FileDiff d : repo.git.diff(base, ObjectId.fromString(pr.headSha))) {
                items.add(hub.shapes().diffEntry(repo, d, pr.headSha));
            }
            return hub.paginate(items, rawPath(ctx), query);
        }
        if (seg.size() == 3 && seg.get(2).equals("reviews") && m.equals("GET")) {
            List<JsonNode> items = new ArrayList<>();
            for (Review v : pr.reviews) {
                items.add(hub.shapes().review(repo, pr, v));
            }
            return hub.paginate(items, rawPath(ctx), query);
        }
        if (seg.size() == 3 && seg.get(2).equals("merge")) {
            if (m.equals("GET")) {
                if (pr.merged) {
                    return Answer.noContent();
                }
                throw new ApiError(404, "Not Found");
            }
            if (m.equals("PUT")) {
                JsonNode b = json(rawBody);
                String sha = r.merge(
                        pr,
                        p.actor(),
                        str(b, "sha"),
                        str(b, "commit_title"),
                        str(b, "commit_message"),
                        b.hasNonNull("merge_method") ? str(b, "merge_method") : "merge");
                ObjectNode n = F.objectNode();
                n.put("sha", sha);
                n.put("merged", true);
                n.put("message", "Pull Request successfully merged");
                return Answer.ok(n);
            }
        }
        throw new ApiError(404, "Not Found");
    }

    private Answer issues(
            String m, List<String> seg, String query, byte[] rawBody, Principal p, StandInRepository r, Context ctx) {
        Repo repo = r.repo();
        Shapes s = hub.shapes();
        if (seg.size() >= 3 && seg.get(1).equals("comments")) {
            Comment c = r.comment(id(seg.get(2)));
            if (seg.size() != 3) {
                throw new ApiError(404, "Not Found");
            }
            switch (m) {
                case "GET":
                    return Answer.ok(s.comment(repo, c));
                case "PATCH":
                    r.editComment(c, p.actor(), required(json(rawBody), "body", "IssueComment"));
                    return Answer.ok(s.comment(repo, c));
                case "DELETE":
                    r.deleteComment(c, p.actor());
                    return Answer.noContent();
                default:
                    throw new ApiError(404, "Not Found");
            }
        }
        if (seg.size() < 2) {
            throw new ApiError(404, "Not Found");
        }
        Pull pr = r.pull(number(seg.get(1)));
        if (seg.size() == 2 && m.equals("GET")) {
            return Answer.ok(s.issue(repo, pr));
        }
        if (seg.size() == 3 && seg.get(2).equals("comments")) {
            if (m.equals("GET")) {
                List<JsonNode> items = new ArrayList<>();
                for (Comment c : pr.comments) {
                    items.add(s.comment(repo, c));
                }
                return hub.paginate(items, rawPath(ctx), query);
            }
            if (m.equals("POST")) {
                Comment c = r.addComment(pr, p.actor(), required(json(rawBody), "body", "IssueComment"));
                return Answer.created(s.comment(repo, c));
            }
        }
        if (seg.size() == 3 && seg.get(2).equals("labels")) {
            if (m.equals("GET")) {
                return Answer.ok(labels(repo, r.labelsOf(pr)));
            }
            if (m.equals("POST") || m.equals("PUT")) {
                JsonNode b = json(rawBody);
                JsonNode list = b.isArray() ? b : b.get("labels");
                if (list == null || !list.isArray()) {
                    throw new ApiError(422, Shapes.validation(null, "Label", "labels", "missing_field"));
                }
                List<String> names = new ArrayList<>();
                list.forEach(n ->
                        names.add(n.isTextual() ? n.asText() : n.path("name").asText(null)));
                if (m.equals("PUT")) {
                    pr.labels.clear();
                }
                return Answer.ok(labels(repo, r.addLabels(pr, names, p.actor())));
            }
        }
        if (seg.size() == 4 && seg.get(2).equals("labels") && m.equals("DELETE")) {
            return Answer.ok(labels(repo, r.removeLabel(pr, seg.get(3), p.actor())));
        }
        throw new ApiError(404, "Not Found");
    }

    private ArrayNode labels(Repo repo, List<Label> ls) {
        ArrayNode a = F.arrayNode();
        for (Label l : ls) {
            a.add(hub.shapes().label(repo, l));
        }
        return a;
    }

    // ---------------------------------------------------------------- checks

    private App checkApp(Principal p) {
        if (p.installation != null) {
            return p.installation.app;
        }
        if (hub.checksRequireApp()) {
            throw new ApiError(403, "You must authenticate via a GitHub App.");
        }
        return hub.tokenApp();
    }

    private Answer checkRuns(String m, List<String> seg, byte[] rawBody, Principal p, StandInRepository r) {
        Repo repo = r.repo();
        if (seg.size() == 1 && m.equals("POST")) {
            App app = checkApp(p);
            JsonNode b = json(rawBody);
            String name = required(b, "name", "CheckRun");
            String sha = required(b, "head_sha", "CheckRun");
            if (!sha.matches("[0-9a-f]{40}") || !repo.git.hasCommit(ObjectId.fromString(sha))) {
                throw new ApiError(
                        422, Shapes.validation("No commit found for SHA: " + sha, "CheckRun", "head_sha", "invalid"));
            }
            CheckRun c = r.createCheckRun(app, name, sha);
            applyCheck(c, b);
            return Answer.created(hub.shapes().checkRun(repo, c));
        }
        if (seg.size() == 2) {
            long id = id(seg.get(1));
            CheckRun c = repo.checkRuns.stream()
                    .filter(x -> x.id == id)
                    .findFirst()
                    .orElseThrow(() -> new ApiError(404, "Not Found"));
            if (m.equals("GET")) {
                return Answer.ok(hub.shapes().checkRun(repo, c));
            }
            if (m.equals("PATCH")) {
                App app = checkApp(p);
                if (app.id != c.app.id) {
                    throw new ApiError(
                            403,
                            "Invalid app_id `" + app.id + "` - check run can only be modified by"
                                    + " the GitHub App that created it.");
                }
                applyCheck(c, json(rawBody));
                return Answer.ok(hub.shapes().checkRun(repo, c));
            }
        }
        throw new ApiError(404, "Not Found");
    }

    private void applyCheck(CheckRun c, JsonNode b) {
        if (b.hasNonNull("name")) {
            c.name = str(b, "name");
        }
        if (b.hasNonNull("details_url")) {
            c.detailsUrl = str(b, "details_url");
        }
        if (b.hasNonNull("external_id")) {
            c.externalId = str(b, "external_id");
        }
        String status = str(b, "status");
        String conclusion = str(b, "conclusion");
        if (status != null && !List.of("queued", "in_progress", "completed").contains(status)) {
            throw new ApiError(422, Shapes.validation(null, "CheckRun", "status", "invalid"));
        }
        if (conclusion != null) {
            if (!List.of(
                            "action_required",
                            "cancelled",
                            "failure",
                            "neutral",
                            "success",
                            "skipped",
                            "stale",
                            "timed_out")
                    .contains(conclusion)) {
                throw new ApiError(422, Shapes.validation(null, "CheckRun", "conclusion", "invalid"));
            }
            // Providing a conclusion completes the run, as on GitHub.
            status = "completed";
        }
        if ("completed".equals(status) && conclusion == null && c.conclusion == null) {
            throw new ApiError(
                    422,
                    Shapes.validation(
                            "conclusion is required when status is completed",
                            "CheckRun",
                            "conclusion",
                            "missing_field"));
        }
        if (status != null) {
            c.status = status;
        }
        if (conclusion != null) {
            c.conclusion = conclusion;
        }
        if ("completed".equals(c.status)) {
            c.completedAt = b.hasNonNull("completed_at") ? Instant.parse(str(b, "completed_at")) : hub.now();
        }
        JsonNode out = b.get("output");
        if (out != null && !out.isNull()) {
            String title = str(out, "title");
            String summary = str(out, "summary");
            if (title == null || summary == null) {
                throw new ApiError(422, Shapes.validation(null, "CheckRun", "output", "missing_field"));
            }
            String text = str(out, "text");
            if (summary.length() > 65535 || text != null && text.length() > 65535) {
                throw new ApiError(
                        422, Shapes.validation("Only 65535 characters are allowed", "CheckRun", "output", "too_long"));
            }
            c.title = title;
            c.summary = summary;
            c.text = text;
        }
    }

    private Answer listCheckRuns(String ref, Map<String, String> q, StandInRepository r, Context ctx) {
        Repo repo = r.repo();
        ObjectId sha = repo.git.resolveCommit(ref);
        if (sha == null) {
            throw new ApiError(422, Shapes.validation("No commit found for SHA: " + ref, "Commit", "sha", "invalid"));
        }
        List<CheckRun> matching = new ArrayList<>();
        for (CheckRun c : repo.checkRuns) {
            if (c.headSha.equals(sha.name())
                    && (!q.containsKey("check_name") || q.get("check_name").equals(c.name))
                    && (!q.containsKey("status") || q.get("status").equals(c.status))) {
                matching.add(c);
            }
        }
        java.util.Collections.reverse(matching); // newest first
        int perPage = Math.max(1, Math.min(100, GitHubStandIn.parseInt(q.get("per_page"), 30)));
        int page = Math.max(1, GitHubStandIn.parseInt(q.get("page"), 1));
        int last = Math.max(1, (matching.size() + perPage - 1) / perPage);
        ObjectNode n = F.objectNode();
        n.put("total_count", matching.size());
        ArrayNode runs = n.putArray("check_runs");
        for (int i = (page - 1) * perPage; i < Math.min(matching.size(), page * perPage); i++) {
            runs.add(hub.shapes().checkRun(repo, matching.get(i)));
        }
        return new Answer(200, n, hub.linkHeader(rawPath(ctx), q, page, last));
    }

    // ---------------------------------------------------------------- commit history

    /** GET /commits: history from {@code sha} (default branch by default), filtered by {@code path} as git log does. */
    private Answer listCommits(Map<String, String> q, String query, StandInRepository r, Context ctx) {
        Repo repo = r.repo();
        String ref = q.getOrDefault("sha", repo.defaultBranch);
        ObjectId start = repo.git.resolveCommit(ref);
        if (start == null) {
            throw new ApiError(404, "No commit found for SHA: " + ref);
        }
        String path = q.get("path");
        if (path != null && !path.isEmpty()) {
            try {
                GitHubNames.path(path);
            } catch (IllegalArgumentException e) {
                return hub.paginate(List.of(), rawPath(ctx), query);
            }
        }
        List<JsonNode> items = new ArrayList<>();
        for (RevCommit c : repo.git.log(start, path == null || path.isEmpty() ? null : path)) {
            items.add(hub.shapes()
                    .commitItem(
                            repo,
                            c,
                            hub.findUser(c.getAuthorIdent().getName()),
                            hub.findUser(c.getCommitterIdent().getName())));
        }
        return hub.paginate(items, rawPath(ctx), query);
    }

    private static final int COMPARE_MAX_COMMITS = 250;
    private static final int COMPARE_MAX_FILES = 300;

    /**
     * GET /compare/{base}...{head}: as GitHub, three dots compare the head with the merge base of both (what merging
     * the head would bring), two dots the two commits directly. Commits oldest first, at most 250 without paging;
     * files only on the first page, at most 300.
     */
    private Answer compare(String basehead, Map<String, String> q, StandInRepository r) {
        Repo repo = r.repo();
        boolean threeDot = basehead.contains("...");
        String sep = threeDot ? "..." : "..";
        int at = basehead.indexOf(sep);
        if (at <= 0 || at + sep.length() >= basehead.length()) {
            throw new ApiError(404, "Not Found");
        }
        String baseRef = basehead.substring(0, at);
        String headRef = basehead.substring(at + sep.length());
        ObjectId base = repo.git.resolveCommit(baseRef);
        ObjectId head = repo.git.resolveCommit(headRef);
        if (base == null || head == null) {
            throw new ApiError(404, "Not Found");
        }
        ObjectId mergeBase = repo.git.mergeBase(base, head);
        if (mergeBase == null) {
            throw new ApiError(404, "No common ancestor between " + baseRef + " and " + headRef + ".");
        }
        List<RevCommit> ahead = repo.git.between(base, head);
        int behind = repo.git.between(head, base).size();
        Shapes s = hub.shapes();
        ObjectNode n = F.objectNode();
        String url = s.repoUrl(repo) + "/compare/" + basehead;
        n.put("url", url);
        n.put("html_url", s.repoUrl(repo).replace("/repos/", "/_html/") + "/compare/" + basehead);
        n.put("permalink_url", s.repoUrl(repo) + "/compare/" + base.name() + "..." + head.name());
        n.put("diff_url", url + ".diff");
        n.put("patch_url", url + ".patch");
        n.set("base_commit", commitItemOf(repo, repo.git.commit(base)));
        n.set("merge_base_commit", commitItemOf(repo, repo.git.commit(mergeBase)));
        n.put(
                "status",
                ahead.isEmpty() && behind == 0
                        ? "identical"
                        : behind == 0 ? "ahead" : ahead.isEmpty() ? "behind" : "diverged");
        n.put("ahead_by", ahead.size());
        n.put("behind_by", behind);
        n.put("total_commits", ahead.size());
        boolean paged = q.containsKey("per_page") || q.containsKey("page");
        List<RevCommit> shown;
        int page = Math.max(1, GitHubStandIn.parseInt(q.get("page"), 1));
        if (paged) {
            int perPage = Math.max(1, Math.min(100, GitHubStandIn.parseInt(q.get("per_page"), 30)));
            int from = Math.min(ahead.size(), (page - 1) * perPage);
            shown = ahead.subList(from, Math.min(ahead.size(), from + perPage));
        } else {
            // Without paging GitHub shows 250 commits, the last being the newest.
            shown = ahead.subList(Math.max(0, ahead.size() - COMPARE_MAX_COMMITS), ahead.size());
        }
        com.fasterxml.jackson.databind.node.ArrayNode commits = n.putArray("commits");
        shown.forEach(c -> commits.add(commitItemOf(repo, c)));
        com.fasterxml.jackson.databind.node.ArrayNode files = n.putArray("files");
        if (page == 1) {
            List<GitStore.FileDiff> diffs = threeDot ? repo.git.diff(base, head) : repo.git.diffTrees(base, head);
            for (GitStore.FileDiff d : diffs.subList(0, Math.min(diffs.size(), COMPARE_MAX_FILES))) {
                files.add(s.diffEntry(repo, d, head.name()));
            }
        }
        return Answer.ok(n);
    }

    private JsonNode commitItemOf(Repo repo, RevCommit c) {
        return hub.shapes()
                .commitItem(
                        repo,
                        c,
                        hub.findUser(c.getAuthorIdent().getName()),
                        hub.findUser(c.getCommitterIdent().getName()));
    }

    /** GET /commits/{sha}/pulls: pull requests whose head history contains the commit, or that merged it. */
    private Answer pullsOfCommit(String sha, String query, StandInRepository r, Context ctx) {
        Repo repo = r.repo();
        ObjectId id = sha.matches("[0-9a-f]{40}") ? ObjectId.fromString(sha) : null;
        if (id == null || !repo.git.hasCommit(id)) {
            throw new ApiError(422, "No commit found for SHA: " + sha);
        }
        List<JsonNode> items = new ArrayList<>();
        for (Pull pr : repo.pulls.values()) {
            boolean contains = sha.equals(pr.mergeCommitSha)
                    || pr.headSha != null && repo.git.isAncestor(id, ObjectId.fromString(pr.headSha));
            if (contains) {
                items.add(r.pullJson(pr, false));
            }
        }
        java.util.Collections.reverse(items);
        return hub.paginate(items, rawPath(ctx), query);
    }

    // ---------------------------------------------------------------- git refs and contents

    private Answer gitRefs(String m, List<String> seg, Map<String, String> q, byte[] rawBody, StandInRepository r) {
        Repo repo = r.repo();
        if (seg.size() >= 3 && seg.get(1).equals("trees") && m.equals("GET")) {
            return gitTree(String.join("/", seg.subList(2, seg.size())), q, repo);
        }
        if (seg.size() == 3 && seg.get(1).equals("blobs") && m.equals("GET")) {
            return gitBlob(seg.get(2), repo);
        }
        if (seg.size() == 2 && seg.get(1).equals("refs") && m.equals("POST")) {
            JsonNode b = json(rawBody);
            String ref = required(b, "ref", "Reference");
            String sha = required(b, "sha", "Reference");
            if (!ref.startsWith("refs/heads/") || ref.split("/").length < 3) {
                throw new ApiError(422, "Reference name must start with 'refs/heads/' in the stand-in");
            }
            String branch = ref.substring("refs/heads/".length());
            try {
                GitHubNames.branch(branch);
            } catch (IllegalArgumentException e) {
                throw new ApiError(422, "Reference name is invalid");
            }
            if (repo.git.branch(branch) != null) {
                throw new ApiError(422, "Reference already exists");
            }
            if (!sha.matches("[0-9a-f]{40}") || !repo.git.hasCommit(ObjectId.fromString(sha))) {
                throw new ApiError(422, "Object does not exist");
            }
            repo.git.setBranch(branch, ObjectId.fromString(sha));
            return Answer.created(hub.shapes().gitRef(repo, ref, ObjectId.fromString(sha)));
        }
        if (seg.size() >= 4
                && (seg.get(1).equals("ref") || seg.get(1).equals("refs"))
                && seg.get(2).equals("heads")) {
            String branch = String.join("/", seg.subList(3, seg.size()));
            ObjectId tip = repo.git.branch(branch);
            if (m.equals("GET")) {
                if (tip == null) {
                    throw new ApiError(404, "Not Found");
                }
                return Answer.ok(hub.shapes().gitRef(repo, "refs/heads/" + branch, tip));
            }
            if (m.equals("DELETE") && seg.get(1).equals("refs")) {
                if (tip == null) {
                    throw new ApiError(422, "Reference does not exist");
                }
                repo.git.deleteBranch(branch);
                return Answer.noContent();
            }
        }
        throw new ApiError(404, "Not Found");
    }

    /**
     * {@code GET /git/trees/{tree_sha}}: a commit sha, tree sha or branch; {@code recursive} (any value) lists the
     * whole tree, sub-trees included, as GitHub does.
     */
    private Answer gitTree(String ref, Map<String, String> q, Repo repo) {
        ObjectId commit = repo.git.resolveCommit(ref);
        if (commit == null) {
            throw new ApiError(404, "Not Found");
        }
        String api = hub.shapes().api() + "/repos/" + repo.name.owner() + "/" + repo.name.name();
        ArrayNode entries = F.arrayNode();
        for (GitStore.TreeEntry e : repo.git.tree(commit, q.containsKey("recursive"))) {
            ObjectNode n = entries.addObject();
            n.put("path", e.path());
            n.put("mode", e.mode());
            n.put("type", e.isTree() ? "tree" : "blob");
            n.put("sha", e.id().name());
            if (!e.isTree()) {
                n.put("size", e.size());
            }
            n.put("url", api + "/git/" + (e.isTree() ? "trees/" : "blobs/") + e.id().name());
        }
        ObjectNode out = F.objectNode();
        String tree = repo.git.commit(commit).getTree().name();
        out.put("sha", tree);
        out.put("url", api + "/git/trees/" + tree);
        out.set("tree", entries);
        out.put("truncated", false);
        return Answer.ok(out);
    }

    /** {@code GET /git/blobs/{file_sha}}: content base64-encoded in 60-column lines, as GitHub sends it. */
    private Answer gitBlob(String sha, Repo repo) {
        if (!sha.matches("[0-9a-f]{40}")) {
            throw new ApiError(404, "Not Found");
        }
        byte[] bytes = repo.git.blob(ObjectId.fromString(sha));
        if (bytes == null) {
            throw new ApiError(404, "Not Found");
        }
        ObjectNode out = F.objectNode();
        out.put("sha", sha);
        out.put("node_id", Base64.getEncoder().encodeToString(("Blob:" + sha).getBytes(StandardCharsets.UTF_8)));
        out.put("size", bytes.length);
        out.put(
                "url",
                hub.shapes().api() + "/repos/" + repo.name.owner() + "/" + repo.name.name() + "/git/blobs/" + sha);
        out.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(bytes) + "\n");
        out.put("encoding", "base64");
        return Answer.ok(out);
    }

    private Answer contents(
            String m, String path, Map<String, String> q, byte[] rawBody, Principal p, StandInRepository r) {
        Repo repo = r.repo();
        Shapes s = hub.shapes();
        try {
            GitHubNames.path(path);
        } catch (IllegalArgumentException e) {
            throw new ApiError(404, "Not Found");
        }
        if (m.equals("GET")) {
            String ref = q.getOrDefault("ref", repo.defaultBranch);
            ObjectId commit = repo.git.resolveCommit(ref);
            if (commit == null) {
                throw new ApiError(404, "No commit found for the ref " + ref);
            }
            GitStore.Blob blob = repo.git.file(commit, path);
            if (blob != null) {
                return Answer.ok(s.contentFile(repo, path, ref, blob, true));
            }
            Map<String, Boolean> dir = repo.git.list(commit, path);
            if (dir == null) {
                throw new ApiError(404, "Not Found");
            }
            ArrayNode a = F.arrayNode();
            dir.forEach((name, isDir) -> a.add(s.contentEntry(repo, path + "/" + name, ref, isDir)));
            return Answer.ok(a);
        }
        if (m.equals("PUT") || m.equals("DELETE")) {
            JsonNode b = json(rawBody);
            String message = required(b, "message", "Commit");
            String branch = b.hasNonNull("branch") ? str(b, "branch") : repo.defaultBranch;
            ObjectId tip = repo.git.branch(branch);
            if (tip == null) {
                throw new ApiError(404, "Branch " + branch + " not found");
            }
            GitStore.Blob existing = repo.git.file(tip, path);
            String sha = str(b, "sha");
            if (m.equals("DELETE")) {
                if (existing == null) {
                    throw new ApiError(404, "Not Found");
                }
                if (sha == null) {
                    throw new ApiError(
                            422, Shapes.validation("\"sha\" wasn't supplied.", "Commit", "sha", "missing_field"));
                }
                if (!sha.equals(existing.id().name())) {
                    throw new ApiError(409, path + " does not match " + sha);
                }
                Map<String, byte[]> change = new LinkedHashMap<>();
                change.put(path, null);
                String commit = r.commitToBranch(branch, tip, change, p.actor(), message);
                ObjectNode n = F.objectNode();
                n.putNull("content");
                n.set("commit", s.gitCommit(repo, repo.git.commit(ObjectId.fromString(commit))));
                return Answer.ok(n);
            }
            String content = required(b, "content", "Commit");
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                throw new ApiError(
                        422, Shapes.validation("content is not valid Base64", "Commit", "content", "invalid"));
            }
            if (existing != null && sha == null) {
                throw new ApiError(
                        422, Shapes.validation("\"sha\" wasn't supplied.", "Commit", "sha", "missing_field"));
            }
            if (existing != null && !sha.equals(existing.id().name())) {
                throw new ApiError(409, path + " does not match " + sha);
            }
            Map<String, byte[]> change = new LinkedHashMap<>();
            change.put(path, bytes);
            String commit = r.commitToBranch(branch, tip, change, p.actor(), message);
            RevCommit c = repo.git.commit(ObjectId.fromString(commit));
            ObjectNode n = F.objectNode();
            n.set("content", s.contentFile(repo, path, branch, repo.git.file(c, path), false));
            n.set("commit", s.gitCommit(repo, c));
            return existing == null ? Answer.created(n) : Answer.ok(n);
        }
        throw new ApiError(404, "Not Found");
    }
}
