package dev.hallpass.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHContentUpdateResponse;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnector;

/**
 * {@link GitHubGateway} over hub4j's github-api. Where hub4j would make hidden extra calls (a user fetch per review,
 * a refresh per listed PR) or cannot express the call (merge commit title, merged sha, team membership by slug), the
 * gateway sends the REST call itself through hub4j's connector, so counting and auth stay in one place.
 *
 * <p>Repository metadata is fetched once per repository and cached: hub4j needs it to address anything else.
 */
public final class Hub4jGitHubGateway implements GitHubGateway {
    public static final String GITHUB_COM_API = "https://api.github.com";
    /** Conditional-request cache size: a few entries per open pull request, plus the repository's lists. */
    static final int ETAG_ENTRIES = 5_000;

    private final CountingConnector counting;
    private final GitHubConnector connector;
    private final GitHub github;
    private final RawGitHubCall raw;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<RepoName, GHRepository> repos = new ConcurrentHashMap<>();
    private final AppInstallationAuthorization appAuth;
    private volatile String selfLogin;
    /** Check-run id per "repo@sha", so a re-evaluation updates without listing first. */
    private final Map<String, Long> checkRuns = boundedMap(10_000);
    /** Head sha last read per "repo#number"; a head that moved under our eyes is new, so it has no run of ours. */
    private final Map<String, String> lastHeads = boundedMap(10_000);

    private final Map<String, Boolean> freshHeads = boundedMap(10_000);
    /** The bot's sticky comment per "repo#number": its id and the body last written. */
    private final Map<String, StickyComment> stickies = boundedMap(10_000);

    private record StickyComment(long id, String body) {}

    /** A webhook's copy of a pull request, used once by the next read within {@link #NOTED_PR_TTL}. */
    private record NotedPullRequest(PullRequest pr, long notedNanos) {}

    static final Duration NOTED_PR_TTL = Duration.ofSeconds(30);
    private final Map<String, NotedPullRequest> noted = boundedMap(1_000);

    private static <V> Map<String, V> boundedMap(int max) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        });
    }

    public Hub4jGitHubGateway(String apiUrl, GitHubAuth auth, Clock clock) {
        this(apiUrl, auth, clock, GitHubTimeouts.DEFAULT);
    }

    /** Every call, hub4j's, raw and token refreshes alike, is bounded by {@code timeouts}. */
    public Hub4jGitHubGateway(String apiUrl, GitHubAuth auth, Clock clock, GitHubTimeouts timeouts) {
        this(apiUrl, auth, clock, new BoundedHttpConnector(timeouts));
    }

    Hub4jGitHubGateway(String apiUrl, GitHubAuth auth, Clock clock, GitHubConnector transport) {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(auth, "auth");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counting = new CountingConnector(transport, clock);
        this.connector = new ConditionalConnector(counting, ETAG_ENTRIES);
        String api = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        AuthorizationProvider provider;
        if (auth instanceof GitHubAuth.Token) {
            String header = "token " + ((GitHubAuth.Token) auth).token();
            provider = () -> header;
            appAuth = null;
        } else {
            // Token minting is never conditional (each JWT is a new identity), but it is counted and bounded.
            appAuth = new AppInstallationAuthorization((GitHubAuth.App) auth, api, counting, clock);
            provider = appAuth;
        }
        try {
            this.github = new GitHubBuilder()
                    .withEndpoint(api)
                    .withAuthorizationProvider(provider)
                    .withConnector(connector)
                    // Never park a worker thread until the limit resets; the caller requeues instead.
                    .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                    .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                    .build();
        } catch (IOException e) {
            throw new GitHubException(0, "cannot build GitHub client: " + e.getMessage(), e);
        }
        this.raw = new RawGitHubCall(api, connector, provider, mapper);
    }

    /** Who this gateway acts as: the app's bot user, or the token's user (one GET /user, then cached). */
    String selfLogin() throws IOException {
        String s = selfLogin;
        if (s == null) {
            s = appAuth != null ? appAuth.botLogin() : github.getMyself().getLogin();
            selfLogin = s;
        }
        return s;
    }

    /** Calls that count against GitHub's rate limit; 304s are in {@link #notModifiedCalls()}. */
    @Override
    public long apiCalls() {
        return counting.calls();
    }

    /** Conditional requests GitHub answered 304 Not Modified: free under its rate limit. */
    public long notModifiedCalls() {
        return counting.notModified();
    }

    /** Rate-limit headers last seen and whether GitHub answers, for readiness and metrics. */
    public GitHubHealth health() {
        return counting.health();
    }

    private GHRepository repo(RepoName name) throws IOException {
        GHRepository r = repos.get(name);
        if (r != null) {
            return r;
        }
        synchronized (repos) { // one fetch even when many threads start at once
            r = repos.get(name);
            if (r == null) {
                r = github.getRepository(name.fullName());
                repos.put(name, r);
            }
            return r;
        }
    }

    @Override
    public void notePullRequest(PullRequest pr) {
        noted.put(pr.repo() + "#" + pr.number(), new NotedPullRequest(pr, System.nanoTime()));
    }

    @Override
    public PullRequest pullRequest(RepoName repo, int number) {
        NotedPullRequest copy = noted.remove(repo + "#" + number);
        if (copy != null && System.nanoTime() - copy.notedNanos() < NOTED_PR_TTL.toNanos()) {
            return seen(repo, number, copy.pr());
        }
        return call("get pull request " + repo + "#" + number, () -> {
            GHPullRequest pr = repo(repo).getPullRequest(number);
            // GitHub leaves mergeable null on closed PRs; asking hub4j would re-read the PR for nothing.
            return seen(repo, number, toPullRequest(repo, pr, pr.getState() == GHIssueState.OPEN));
        });
    }

    /** Remembers the head, so a head that moved since the last read is known to have no check run of ours. */
    private PullRequest seen(RepoName repo, int number, PullRequest out) {
        {
            String head = out.head().sha();
            String before = lastHeads.put(repo + "#" + number, head);
            if (before != null && !before.equals(head)) {
                freshHeads.put(repo + "@" + head, Boolean.TRUE);
            }
            return out;
        }
    }

    private PullRequest toPullRequest(RepoName repo, GHPullRequest pr, boolean readMergeable) throws IOException {
        Set<String> labels = new TreeSet<>();
        for (GHLabel l : pr.getLabels()) {
            labels.add(l.getName());
        }
        PullRequest.Mergeable mergeable = PullRequest.Mergeable.UNKNOWN;
        if (readMergeable) {
            // hub4j re-reads the PR once when GitHub has not computed mergeability yet.
            Boolean m = pr.getMergeable();
            mergeable = m == null
                    ? PullRequest.Mergeable.UNKNOWN
                    : m ? PullRequest.Mergeable.MERGEABLE : PullRequest.Mergeable.CONFLICTING;
        }
        return new PullRequest(
                repo,
                pr.getNumber(),
                pr.getTitle(),
                pr.getBody(),
                pr.getUser().getLogin(),
                pr.getState() == GHIssueState.OPEN ? PullRequest.State.OPEN : PullRequest.State.CLOSED,
                pr.isDraft(),
                pr.isMerged(),
                new GitRef(pr.getBase().getRef(), pr.getBase().getSha()),
                new GitRef(pr.getHead().getRef(), pr.getHead().getSha()),
                mergeable,
                labels,
                Optional.ofNullable(pr.getMergeCommitSha()),
                pr.getCreatedAt().toInstant(),
                Optional.ofNullable(pr.getMergedAt()).map(Date::toInstant),
                Optional.ofNullable(pr.getClosedAt()).map(Date::toInstant));
    }

    @Override
    public List<ChangedFile> files(RepoName repo, int number) {
        // Raw: hub4j would first re-read the pull request just to address its files.
        return call("list files of " + repo + "#" + number, () -> {
            List<ChangedFile> out = new ArrayList<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/pulls/" + number + "/files")) {
                out.add(new ChangedFile(
                        n.path("filename").asText(),
                        ChangedFile.Status.fromWire(n.path("status").asText()),
                        Optional.ofNullable(n.path("previous_filename").textValue())));
            }
            return out;
        });
    }

    /** GitHub lists at most this many files in a comparison. */
    static final int COMPARE_MAX_FILES = 300;

    @Override
    public List<ChangedFile> compareFiles(RepoName repo, String baseSha, String headSha) {
        GitHubNames.sha(baseSha);
        GitHubNames.sha(headSha);
        String what = "compare " + repo + " " + baseSha.substring(0, 7) + "..." + headSha.substring(0, 7);
        return call(what, () -> {
            // per_page=1: the files come with the first page whatever its size; the commits are not needed.
            RawGitHubCall.Response r =
                    raw.send("GET", repoPath(repo) + "/compare/" + baseSha + "..." + headSha + "?per_page=1", null);
            requireOk(r, what);
            JsonNode files = r.json().path("files");
            if (files.size() >= COMPARE_MAX_FILES) {
                throw new GitHubException(422, what + ": " + files.size() + " files or more, the list is cut", null);
            }
            List<ChangedFile> out = new ArrayList<>();
            for (JsonNode n : files) {
                out.add(new ChangedFile(
                        n.path("filename").asText(),
                        ChangedFile.Status.fromWire(n.path("status").asText()),
                        Optional.ofNullable(n.path("previous_filename").textValue())));
            }
            return out;
        });
    }

    @Override
    public List<Review> reviews(RepoName repo, int number) {
        return call("list reviews of " + repo + "#" + number, () -> {
            List<Review> out = new ArrayList<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/pulls/" + number + "/reviews")) {
                out.add(GitHubJson.review(n));
            }
            return out;
        });
    }

    @Override
    public List<IssueComment> comments(RepoName repo, int number) {
        return call("list comments of " + repo + "#" + number, () -> {
            List<IssueComment> out = new ArrayList<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/issues/" + number + "/comments")) {
                out.add(GitHubJson.comment(n));
            }
            return out;
        });
    }

    @Override
    public Optional<byte[]> fileAt(RepoName repo, String path, String ref) {
        GitHubNames.path(path);
        Objects.requireNonNull(ref, "ref");
        return call("read " + path + "@" + ref + " in " + repo, () -> {
            GHContent content;
            try {
                content = repo(repo).getFileContent(path, ref);
            } catch (FileNotFoundException e) {
                return Optional.empty();
            } catch (HttpException e) {
                if (e.getResponseCode() == 200) {
                    // GitHub answered with a directory listing (a JSON array): the path is not a file.
                    return Optional.empty();
                }
                throw e;
            }
            if (!content.isFile()) {
                return Optional.empty();
            }
            try (InputStream in = content.read()) {
                return Optional.of(in.readAllBytes());
            }
        });
    }

    @Override
    public List<String> directory(RepoName repo, String dir, String ref) {
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        GitHubNames.path(d);
        Objects.requireNonNull(ref, "ref");
        return call("list " + d + "@" + ref + " in " + repo, () -> {
            RawGitHubCall.Response r = raw.send("GET", repoPath(repo) + "/contents/" + d + "?ref=" + enc(ref), null);
            if (r.status() == 404) {
                return List.of();
            }
            requireOk(r, "list directory");
            List<String> out = new ArrayList<>();
            if (r.json() != null && r.json().isArray()) {
                for (JsonNode e : r.json()) {
                    String path = e.path("path").asText();
                    out.add(e.path("type").asText().equals("dir") ? path + "/" : path);
                }
            }
            out.sort(null);
            return out;
        });
    }

    @Override
    public Optional<GitTree> tree(RepoName repo, String commitSha) {
        GitHubNames.sha(commitSha);
        return call("list the tree of " + repo + "@" + commitSha, () -> {
            RawGitHubCall.Response r =
                    raw.send("GET", repoPath(repo) + "/git/trees/" + commitSha + "?recursive=1", null);
            requireOk(r, "list tree");
            if (r.json().path("truncated").asBoolean(false)) {
                return Optional.empty();
            }
            List<GitTree.Entry> files = new ArrayList<>();
            for (JsonNode e : r.json().path("tree")) {
                if ("blob".equals(e.path("type").asText())) {
                    files.add(new GitTree.Entry(
                            e.path("path").asText(),
                            e.path("sha").asText(),
                            e.path("size").asLong()));
                }
            }
            return Optional.of(new GitTree(commitSha, files));
        });
    }

    @Override
    public byte[] blob(RepoName repo, String blobSha) {
        GitHubNames.sha(blobSha);
        return call("read blob " + blobSha + " in " + repo, () -> {
            RawGitHubCall.Response r = raw.send("GET", repoPath(repo) + "/git/blobs/" + blobSha, null);
            requireOk(r, "read blob");
            if (!"base64".equals(r.json().path("encoding").asText())) {
                throw new GitHubException(0, "blob " + blobSha + ": unexpected encoding", null);
            }
            return java.util.Base64.getMimeDecoder()
                    .decode(r.json().path("content").asText());
        });
    }

    @Override
    public String branchSha(RepoName repo, String branch) {
        GitHubNames.branch(branch);
        return call("read branch " + branch + " of " + repo, () -> {
            RawGitHubCall.Response r = raw.send("GET", repoPath(repo) + "/git/ref/heads/" + branch, null);
            requireOk(r, "read branch " + branch);
            return GitHubNames.sha(r.json().path("object").path("sha").asText());
        });
    }

    @Override
    public List<CommitInfo> commits(RepoName repo, String path, String ref) {
        GitHubNames.path(path);
        Objects.requireNonNull(ref, "ref");
        return call("list commits of " + path + "@" + ref + " in " + repo, () -> {
            List<CommitInfo> out = new ArrayList<>();
            String q = "/commits?path=" + enc(path) + "&sha=" + enc(ref);
            for (JsonNode n : raw.getAll(repoPath(repo) + q)) {
                out.add(GitHubJson.commit(n));
            }
            return out;
        });
    }

    @Override
    public List<PullRequest> pullRequestsWithCommit(RepoName repo, String sha) {
        GitHubNames.sha(sha);
        return call("list pull requests of commit " + sha + " in " + repo, () -> {
            List<PullRequest> out = new ArrayList<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/commits/" + sha + "/pulls")) {
                out.add(GitHubJson.pullRequest(repo, n));
            }
            return out;
        });
    }

    @Override
    public String putFile(RepoName repo, String branch, String path, byte[] content, String message) {
        GitHubNames.path(path);
        return call("write " + path + " on " + branch + " in " + repo, () -> {
            RawGitHubCall.Response existing =
                    raw.send("GET", repoPath(repo) + "/contents/" + path + "?ref=" + enc(branch), null);
            ObjectNode body = mapper.createObjectNode();
            body.put("message", message);
            body.put("branch", branch);
            body.put("content", java.util.Base64.getEncoder().encodeToString(content));
            if (existing.status() == 200
                    && existing.json() != null
                    && existing.json().hasNonNull("sha")) {
                body.put("sha", existing.json().get("sha").asText());
            }
            RawGitHubCall.Response r = raw.send("PUT", repoPath(repo) + "/contents/" + path, body);
            requireOk(r, "write file");
            return r.json().path("commit").path("sha").asText();
        });
    }

    @Override
    public List<PullRequest> openPullRequests(RepoName repo) {
        return call("list open pull requests of " + repo, () -> {
            List<PullRequest> out = new ArrayList<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/pulls?state=open")) {
                out.add(GitHubJson.pullRequest(repo, n));
            }
            return out;
        });
    }

    @Override
    public Map<Integer, String> openPullRequestVersions(RepoName repo) {
        // One conditional list: when nothing changed it is a free 304.
        return call("list open pull requests of " + repo, () -> {
            Map<Integer, String> out = new java.util.TreeMap<>();
            for (JsonNode n : raw.getAll(repoPath(repo) + "/pulls?state=open")) {
                out.put(
                        n.path("number").asInt(),
                        n.path("head").path("sha").asText() + " "
                                + n.path("updated_at").asText());
            }
            return out;
        });
    }

    @Override
    public void publishCheck(RepoName repo, String headSha, CheckReport report) {
        GitHubNames.sha(headSha);
        Objects.requireNonNull(report, "report");
        String key = repo + "@" + headSha;
        call("publish check on " + key, () -> {
            GHRepository r = repo(repo);
            Long existing = checkRuns.get(key);
            if (existing == null && freshHeads.remove(key) == null) {
                // A head we did not see arrive (first look since start): a run of ours may exist already.
                for (GHCheckRun run : r.getCheckRuns(headSha, Map.of("check_name", CheckReport.CHECK_NAME))) {
                    if (CheckReport.CHECK_NAME.equals(run.getName())) {
                        existing = run.getId();
                        break;
                    }
                }
            }
            GHCheckRunBuilder b =
                    existing == null ? r.createCheckRun(CheckReport.CHECK_NAME, headSha) : r.updateCheckRun(existing);
            GHCheckRun run = b.withStatus(GHCheckRun.Status.COMPLETED)
                    .withConclusion(
                            GHCheckRun.Conclusion.valueOf(report.conclusion().name()))
                    .withCompletedAt(Date.from(clock.instant()))
                    .add(new GHCheckRunBuilder.Output(report.title(), report.summary()).withText(report.text()))
                    .create();
            checkRuns.put(key, run.getId());
            return null;
        });
    }

    @Override
    public void upsertStickyComment(RepoName repo, int number, String body) {
        Objects.requireNonNull(body, "body");
        String full = body.startsWith(STICKY_MARKER) ? body : STICKY_MARKER + "\n" + body;
        String key = repo + "#" + number;
        call("sticky comment on " + key, () -> {
            StickyComment known = stickies.get(key);
            ObjectNode payload = mapper.createObjectNode().put("body", full);
            if (known != null) {
                if (known.body().equals(full)) {
                    return null; // what we wrote last is still what we would write
                }
                RawGitHubCall.Response r =
                        raw.send("PATCH", repoPath(repo) + "/issues/comments/" + known.id(), payload);
                if (r.status() != 404) {
                    requireOk(r, "edit comment");
                    stickies.put(key, new StickyComment(known.id(), full));
                    return null;
                }
                stickies.remove(key); // deleted by someone: find or post it again
            }
            String self = selfLogin();
            JsonNode mine = null;
            for (JsonNode n : raw.getAll(repoPath(repo) + "/issues/" + number + "/comments")) {
                // Only our own comment: anyone can paste the marker, and editing their comment would put our
                // status under their name, where they could change it.
                if (n.path("body").asText("").contains(STICKY_MARKER)
                        && self.equalsIgnoreCase(n.path("user").path("login").asText())) {
                    mine = n;
                    break;
                }
            }
            if (mine == null) {
                RawGitHubCall.Response r =
                        raw.send("POST", repoPath(repo) + "/issues/" + number + "/comments", payload);
                requireOk(r, "comment");
                stickies.put(key, new StickyComment(r.json().path("id").asLong(), full));
            } else {
                long id = mine.path("id").asLong();
                if (!full.equals(mine.path("body").asText())) {
                    requireOk(raw.send("PATCH", repoPath(repo) + "/issues/comments/" + id, payload), "edit comment");
                }
                stickies.put(key, new StickyComment(id, full));
            }
            return null;
        });
    }

    @Override
    public void comment(RepoName repo, int number, String body) {
        Objects.requireNonNull(body, "body");
        ObjectNode payload = mapper.createObjectNode().put("body", body);
        call("comment on " + repo + "#" + number, () -> {
            requireOk(raw.send("POST", repoPath(repo) + "/issues/" + number + "/comments", payload), "comment");
            return null;
        });
    }

    @Override
    public void addLabels(RepoName repo, int number, Set<String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        ObjectNode payload = mapper.createObjectNode();
        labels.stream().sorted().forEach(payload.putArray("labels")::add);
        call("label " + repo + "#" + number, () -> {
            requireOk(raw.send("POST", repoPath(repo) + "/issues/" + number + "/labels", payload), "add labels");
            return null;
        });
    }

    @Override
    public void removeLabel(RepoName repo, int number, String label) {
        Objects.requireNonNull(label, "label");
        call("unlabel " + repo + "#" + number, () -> {
            RawGitHubCall.Response r =
                    raw.send("DELETE", repoPath(repo) + "/issues/" + number + "/labels/" + enc(label), null);
            if (r.status() != 404) { // already gone: removing is idempotent for the bot
                requireOk(r, "remove label");
            }
            return null;
        });
    }

    @Override
    public MergeResult merge(
            RepoName repo, int number, String expectedHeadSha, String commitTitle, String commitMessage) {
        GitHubNames.sha(expectedHeadSha);
        Optional<String> method = mergeMethod(repo);
        if (method.isEmpty()) {
            // A rebase replays the pull request's commits as they are: the audit trailers would be lost.
            return MergeResult.refused(
                    405,
                    repo + " allows only rebase merging; Hallpass merges with a merge commit or a squash so the"
                            + " audit trailers are in the commit. Allow one of them in the repository's settings.");
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("sha", expectedHeadSha);
        body.put("merge_method", method.get());
        if (commitTitle != null) {
            body.put("commit_title", commitTitle);
        }
        if (commitMessage != null) {
            body.put("commit_message", commitMessage);
        }
        return call("merge " + repo + "#" + number, () -> {
            RawGitHubCall.Response r = raw.send("PUT", repoPath(repo) + "/pulls/" + number + "/merge", body);
            if (r.status() == 200 && r.json() != null && r.json().path("merged").asBoolean(false)) {
                return MergeResult.merged(r.json().get("sha").asText());
            }
            boolean rateLimited =
                    r.status() == 403 && r.message().toLowerCase(Locale.ROOT).contains("rate limit");
            if (r.status() >= 500 || r.status() == 401 || r.status() == 429 || rateLimited) {
                throw new GitHubException(r.status(), "merge " + repo + "#" + number + ": " + r.message(), null);
            }
            if (r.status() == 405) {
                // A retry after a lost response finds the PR closed; if it was merged at our sha, that was us.
                RawGitHubCall.Response pr = raw.send("GET", repoPath(repo) + "/pulls/" + number, null);
                JsonNode j = pr.json();
                if (pr.status() == 200
                        && j.path("merged").asBoolean(false)
                        && expectedHeadSha.equals(j.path("head").path("sha").asText())
                        && j.hasNonNull("merge_commit_sha")) {
                    return MergeResult.merged(j.get("merge_commit_sha").asText());
                }
            }
            return MergeResult.refused(r.status(), r.message());
        });
    }

    /**
     * How the repository lets pull requests be merged: a merge commit when allowed (the pull request's commits stay
     * as they were pushed), else a squash (one commit with Hallpass's title and message); empty when only rebase is
     * allowed. Read at every merge, since an administrator may change it at any time.
     */
    private Optional<String> mergeMethod(RepoName repo) {
        JsonNode r = call("read the merge settings of " + repo, () -> {
            RawGitHubCall.Response resp = raw.send("GET", repoPath(repo), null);
            requireOk(resp, "read " + repo);
            return resp.json();
        });
        // Missing fields (a token that cannot see them) mean GitHub's defaults: every method allowed.
        if (r.path("allow_merge_commit").asBoolean(true)) {
            return Optional.of("merge");
        }
        if (r.path("allow_squash_merge").asBoolean(true)) {
            return Optional.of("squash");
        }
        return Optional.empty();
    }

    @Override
    public PullRequest openPullRequest(RepoName repo, String title, String body, String headBranch, String baseBranch) {
        GitHubNames.branch(headBranch);
        GitHubNames.branch(baseBranch);
        return call("open pull request on " + repo, () -> {
            try {
                return toPullRequest(repo, repo(repo).createPullRequest(title, headBranch, baseBranch, body), false);
            } catch (HttpException e) {
                if (e.getResponseCode() != 422) {
                    throw e;
                }
                // "A pull request already exists": a retry after a crash gets the one opened before.
                String q =
                        "/pulls?state=open&head=" + enc(repo.owner() + ":" + headBranch) + "&base=" + enc(baseBranch);
                for (JsonNode n : raw.getAll(repoPath(repo) + q)) {
                    return GitHubJson.pullRequest(repo, n);
                }
                throw e;
            }
        });
    }

    @Override
    public String deleteFileOnNewBranch(
            RepoName repo, String baseBranch, String newBranch, String path, String message) {
        GitHubNames.branch(baseBranch);
        GitHubNames.branch(newBranch);
        GitHubNames.path(path);
        Objects.requireNonNull(message, "message");
        return call("delete " + path + " on new branch " + newBranch + " in " + repo, () -> {
            GHRepository r = repo(repo);
            String baseSha = r.getRef("heads/" + baseBranch).getObject().getSha();
            try {
                r.createRef("refs/heads/" + newBranch, baseSha);
            } catch (HttpException e) {
                if (e.getResponseCode() != 422) {
                    throw e;
                }
                // The branch exists: resume an earlier attempt, but never commit onto someone else's branch.
                String tip = r.getRef("heads/" + newBranch).getObject().getSha();
                if (!tip.equals(baseSha)) {
                    try {
                        r.getFileContent(path, newBranch);
                    } catch (FileNotFoundException gone) {
                        return tip; // an earlier attempt already deleted the file
                    }
                    throw e;
                }
            }
            GHContent content = r.getFileContent(path, newBranch);
            GHContentUpdateResponse resp = content.delete(message, newBranch);
            return resp.getCommit().getSHA1();
        });
    }

    @Override
    public boolean isTeamMember(String org, String teamSlug, String login) {
        String path = membershipPath(org, teamSlug, login);
        return call("team membership " + org + "/" + teamSlug + " " + login, () -> {
            RawGitHubCall.Response r = raw.send("GET", path, null);
            if (r.status() == 404) {
                return false;
            }
            requireOk(r, "GET " + path);
            return "active".equals(r.json().path("state").asText());
        });
    }

    @Override
    public boolean addTeamMember(String org, String teamSlug, String login) {
        String path = membershipPath(org, teamSlug, login);
        ObjectNode body = mapper.createObjectNode().put("role", "member");
        return call("add " + login + " to " + org + "/" + teamSlug, () -> {
            RawGitHubCall.Response r = raw.send("PUT", path, body);
            requireOk(r, "PUT " + path);
            return "active".equals(r.json().path("state").asText());
        });
    }

    @Override
    public void removeTeamMember(String org, String teamSlug, String login) {
        String path = membershipPath(org, teamSlug, login);
        call("remove " + login + " from " + org + "/" + teamSlug, () -> {
            RawGitHubCall.Response r = raw.send("DELETE", path, null);
            if (r.status() != 404) {
                requireOk(r, "DELETE " + path);
            }
            return null;
        });
    }

    private static String membershipPath(String org, String teamSlug, String login) {
        return "/orgs/" + GitHubNames.owner(org) + "/teams/" + enc(GitHubNames.teamSlug(teamSlug)) + "/memberships/"
                + enc(GitHubNames.login(login));
    }

    private static void requireOk(RawGitHubCall.Response r, String what) {
        if (r.status() / 100 != 2) {
            throw new GitHubException(r.status(), what + ": " + r.message(), null);
        }
    }

    private static String repoPath(RepoName repo) {
        return "/repos/" + repo.owner() + "/" + repo.name();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    private <T> T call(String what, IoCall<T> body) {
        try {
            return once(what, body);
        } catch (GitHubException e) {
            if (e.status() == 401 && appAuth != null) {
                // Installation token revoked or expired early: mint a new one and try once more.
                appAuth.invalidate();
                return once(what, body);
            }
            throw e;
        }
    }

    private <T> T once(String what, IoCall<T> body) {
        try {
            return body.run();
        } catch (IOException | UncheckedIOException e) {
            throw translate(what, e);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Records validate what GitHub sent; a missing or malformed field is GitHub's (or a proxy's) fault.
            throw new GitHubException(0, what + ": unexpected data from GitHub: " + e.getMessage(), e);
        }
    }

    /** hub4j wraps what the connector throws; look through the wrapping for a timeout or a rate limit. */
    private GitHubException translate(String what, Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RateLimitedIOException r) {
                Duration after = Duration.between(clock.instant(), r.retryAt);
                return new GitHubRateLimitException(r.status, what + ": " + r.getMessage(), r.retryAt, after, e);
            }
            if (c instanceof java.net.http.HttpTimeoutException t) {
                return new GitHubTimeoutException(what + ": " + t.getMessage(), e);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return legacy(what, e);
    }

    private static GitHubException legacy(String what, Exception e) {
        if (e instanceof HttpException h) {
            return new GitHubException(h.getResponseCode(), what + ": " + h.getMessage(), h);
        }
        if (e instanceof FileNotFoundException) {
            return new GitHubException(404, what + ": not found", e);
        }
        return new GitHubException(0, what + ": " + e.getMessage(), e);
    }
}
