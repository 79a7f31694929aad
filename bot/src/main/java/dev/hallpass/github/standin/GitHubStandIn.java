package dev.hallpass.github.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.GitHubNames;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookSignature;
import dev.hallpass.github.standin.StandInModel.App;
import dev.hallpass.github.standin.StandInModel.Installation;
import dev.hallpass.github.standin.StandInModel.Principal;
import dev.hallpass.github.standin.StandInModel.Repo;
import dev.hallpass.github.standin.StandInModel.Team;
import dev.hallpass.github.standin.StandInModel.Token;
import dev.hallpass.github.standin.StandInModel.User;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local stand-in for GitHub: a real HTTP server that answers the REST calls Hallpass makes the way GitHub does
 * (shapes, status codes, pagination, rate-limit headers, auth), over a real in-memory git repository, and sends signed
 * webhooks for what happens. Tests and the demo act as people through the Java API ({@link StandInRepository} for
 * repository actions); the bot talks to it over HTTP only.
 *
 * <p>All state sits behind this object's monitor. Webhooks are sent after the monitor is released, so a receiver may
 * call back into the stand-in while handling a delivery.
 */
public final class GitHubStandIn implements AutoCloseable {
    static final int DEFAULT_PER_PAGE = 30;
    static final int MAX_PER_PAGE = 100;
    static final long DEFAULT_RATE_LIMIT = 5000;
    static final Duration INSTALLATION_TOKEN_TTL = Duration.ofHours(1);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, User> users = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Instant> userCreated = new HashMap<>();
    private final Map<RepoName, Repo> repos = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<Long, App> apps = new LinkedHashMap<>();
    private final Map<Long, Installation> installations = new LinkedHashMap<>();
    private final Map<String, Team> teams = new TreeMap<>();
    private final Map<String, Set<String>> orgMembers = new TreeMap<>();
    private final Map<String, long[]> rateUsage = new HashMap<>();
    private final List<LoggedRequest> log = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private final List<WebhookDelivery> pending = new ArrayList<>();
    private final Map<String, String> testMerges = new HashMap<>();
    private long nextId = 1000;
    private boolean checksRequireApp = true;
    private long rateLimit = DEFAULT_RATE_LIMIT;

    private String webhookUrl;
    private byte[] webhookSecret;
    private boolean asyncWebhooks;
    private final ExecutorService webhookExecutor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "standin-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient webhookClient =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Javalin server;
    private Shapes shapes;
    private final StandInApi apiHandler = new StandInApi(this);

    /** What an injected fault does to a matching request. */
    public enum FaultKind {
        /** Answer with the given status (a 5xx: "Server Error"). */
        STATUS,
        /** Answer only after the given delay, or never (until {@link #clearFaults()} or close) without one. */
        HANG,
        /** Primary limit: 403, {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset} {@code delay} ahead. */
        PRIMARY_RATE_LIMIT,
        /** Secondary limit: 429 with {@code Retry-After} (whole seconds of {@code delay}), as GitHub sends. */
        SECONDARY_RATE_LIMIT
    }

    /** A matching request's fate; {@code remaining} counts down, and the fault goes away at 0 (negative: forever). */
    private record Fault(Pattern path, FaultKind kind, int status, Duration delay, int[] remaining) {}

    private CountDownLatchRelease hangRelease = new CountDownLatchRelease();

    /** Released hangs answer normally; a new latch serves later hangs. */
    private static final class CountDownLatchRelease {
        final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    }

    private record Hook(String method, Pattern path, Runnable action) {}

    private final List<Hook> hooks = new ArrayList<>();

    public GitHubStandIn(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public GitHubStandIn() {
        this(Clock.systemUTC());
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts the HTTP server on an ephemeral loopback port. */
    public synchronized GitHubStandIn start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jetty.defaultHost = "127.0.0.1";
        });
        server.get("/*", this::handle);
        server.post("/*", this::handle);
        server.put("/*", this::handle);
        server.patch("/*", this::handle);
        server.delete("/*", this::handle);
        server.start("127.0.0.1", 0);
        shapes = new Shapes("http://127.0.0.1:" + server.port());
        return this;
    }

    /** API base URL, like https://api.github.com (no trailing slash). */
    public synchronized String baseUrl() {
        if (shapes == null) {
            throw new IllegalStateException("not started");
        }
        return shapes.api();
    }

    @Override
    public void close() {
        clearFaults(); // hung requests answer, so the server stops at once
        Javalin s;
        synchronized (this) {
            s = server;
            server = null;
        }
        if (s != null) {
            s.stop();
        }
        webhookExecutor.shutdownNow();
    }

    Clock clock() {
        return clock;
    }

    synchronized Shapes shapes() {
        return shapes;
    }

    Instant now() {
        return clock.instant();
    }

    synchronized long nextId() {
        return ++nextId;
    }

    // ---------------------------------------------------------------- people and credentials

    /** Registers a person (idempotent). Logins follow GitHub's rules. */
    public synchronized String createUser(String login) {
        user(login, "User");
        return login;
    }

    synchronized User user(String login, String type) {
        if (!"Bot".equals(type)) {
            GitHubNames.login(login);
        }
        User u = users.get(login);
        if (u == null) {
            u = new User(login, nextId(), type);
            users.put(login, u);
            userCreated.put(login, now());
        }
        return u;
    }

    synchronized User existingUser(String login) {
        User u = users.get(login);
        if (u == null) {
            throw new IllegalArgumentException("unknown user " + login + "; createUser first");
        }
        return u;
    }

    synchronized User findUser(String login) {
        return users.get(login);
    }

    synchronized Instant userCreated(String login) {
        return userCreated.getOrDefault(login, now());
    }

    /** A personal access token for a user; it never expires. */
    public synchronized String issueToken(String login) {
        String t = "ghp_" + randomToken(36);
        registerToken(t, login);
        return t;
    }

    public synchronized void registerToken(String token, String login) {
        tokens.put(token, new Token(token, user(login, "User"), null, null));
    }

    /**
     * Registers a GitHub App whose JWTs are verified with {@code publicKey}. Its bot user is {@code slug[bot]}.
     *
     * @return the app id (the JWT {@code iss})
     */
    public synchronized long registerApp(String slug, PublicKey publicKey, String ownerLogin) {
        GitHubNames.teamSlug(slug);
        long id = nextId();
        User bot = user(slug + "[bot]", "Bot");
        App app =
                new App(id, slug, Objects.requireNonNull(publicKey, "publicKey"), user(ownerLogin, "User"), bot, now());
        apps.put(id, app);
        return id;
    }

    /** A registered app's credentials as GitHub hands them out: the app id and a private key PEM. */
    public record AppCredentials(long appId, String privateKeyPem) {
        @Override
        public String toString() {
            return "AppCredentials[appId=" + appId + "]";
        }
    }

    /**
     * Registers an app with a fresh RSA-2048 key pair and returns what an operator would configure the bot with, so
     * the demo can run the bot exactly as in production.
     */
    public AppCredentials createApp(String slug, String ownerLogin) {
        java.security.KeyPair keys;
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            keys = g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long id = registerApp(slug, keys.getPublic(), ownerLogin);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return new AppCredentials(id, pem);
    }

    /** Installs an app on an account for the given repositories; returns the installation id. */
    public synchronized long installApp(long appId, String accountLogin, RepoName... repositories) {
        App app = apps.get(appId);
        if (app == null) {
            throw new IllegalArgumentException("unknown app " + appId);
        }
        Installation i = new Installation(nextId(), app, user(accountLogin, "Organization"), now());
        for (RepoName r : repositories) {
            i.repos.add(r);
        }
        installations.put(i.id, i);
        return i.id;
    }

    /** Check runs are an Apps-only API on GitHub; allow plain tokens too when a test needs it. */
    public synchronized void allowChecksFromTokens(boolean allow) {
        checksRequireApp = !allow;
    }

    synchronized boolean checksRequireApp() {
        return checksRequireApp;
    }

    private App tokenApp;

    /** The app shown on check runs created with plain tokens (only when {@link #allowChecksFromTokens}). */
    synchronized App tokenApp() {
        if (tokenApp == null) {
            User owner = user("github", "Organization");
            tokenApp = new App(nextId(), "standin-checks", null, owner, user("standin-checks[bot]", "Bot"), now());
        }
        return tokenApp;
    }

    synchronized String mintInstallationToken(Installation i) {
        String t = "ghs_" + randomToken(36);
        tokens.put(t, new Token(t, null, i, now().plus(INSTALLATION_TOKEN_TTL)));
        return t;
    }

    /** Revokes every installation token, as an admin or a key rotation would; the next use gets 401. */
    public synchronized void revokeInstallationTokens() {
        tokens.values().removeIf(t -> t.installation != null);
    }

    synchronized Instant tokenExpiry(String token) {
        Token t = tokens.get(token);
        return t == null ? null : t.expiresAt;
    }

    synchronized App app(long id) {
        return apps.get(id);
    }

    synchronized Installation installation(long id) {
        return installations.get(id);
    }

    /** The installation of a given app that covers a repository, or null. */
    synchronized Installation installationFor(App app, RepoName repo) {
        for (Installation i : installations.values()) {
            if (i.app.id == app.id && i.repos.contains(repo)) {
                return i;
            }
        }
        return null;
    }

    /** The first installation covering a repository (whose id goes into webhook payloads), or null. */
    synchronized Installation installationFor(RepoName repo) {
        for (Installation i : installations.values()) {
            if (i.repos.contains(repo)) {
                return i;
            }
        }
        return null;
    }

    private String randomToken(int len) {
        String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(abc.charAt(random.nextInt(abc.length())));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- repositories

    /** A repository whose {@code main} starts with one commit holding every regular file under {@code dir}. */
    public StandInRepository createRepository(RepoName name, Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isRegularFile(p) && !rel.startsWith(".git/")) {
                    files.put(rel, Files.readAllBytes(p)); // bytes: binary files survive
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return createRepositoryFromBytes(name, files);
    }

    /** A repository whose {@code main} starts with one commit holding {@code files} (UTF-8 text). */
    public StandInRepository createRepository(RepoName name, Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return createRepositoryFromBytes(name, bytes);
    }

    private synchronized StandInRepository createRepositoryFromBytes(RepoName name, Map<String, byte[]> files) {
        if (repos.containsKey(name)) {
            throw new IllegalStateException("repository exists: " + name);
        }
        Repo r = new Repo(name, nextId(), user(name.owner(), "Organization"), now());
        Map<String, byte[]> content = new TreeMap<>();
        files.forEach((k, v) -> content.put(GitHubNames.path(k), v));
        var who = GitStore.ident(name.owner(), "noreply@github.com", now());
        r.git.setBranch(r.defaultBranch, r.git.commitChanges(null, content, who, who, "Initial commit\n"));
        repos.put(name, r);
        return new StandInRepository(this, r);
    }

    public synchronized StandInRepository repository(RepoName name) {
        Repo r = repos.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no repository " + name);
        }
        return new StandInRepository(this, r);
    }

    synchronized Repo repo(RepoName name) {
        return repos.get(name);
    }

    synchronized String testMerge(String key) {
        return testMerges.get(key);
    }

    synchronized void putTestMerge(String key, String sha) {
        testMerges.put(key, sha);
    }

    // ---------------------------------------------------------------- organisations and teams

    public synchronized void createTeam(String org, String slug) {
        GitHubNames.owner(org);
        GitHubNames.teamSlug(slug);
        user(org, "Organization");
        teams.putIfAbsent(org.toLowerCase() + "/" + slug.toLowerCase(), new Team(nextId(), org, slug));
        orgMembers.computeIfAbsent(org.toLowerCase(), k -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER));
    }

    /** Org members join teams at once; others get a pending invitation, as on GitHub. */
    public synchronized void addOrgMember(String org, String login) {
        user(login, "User");
        orgMembers
                .computeIfAbsent(org.toLowerCase(), k -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
                .add(login);
    }

    public synchronized void addTeamMember(String org, String slug, String login) {
        addOrgMember(org, login);
        Team t = team(org, slug);
        if (t == null) {
            throw new IllegalArgumentException("no team " + org + "/" + slug);
        }
        t.members.put(login, "member");
    }

    /** Active members of a team, sorted. */
    public synchronized Set<String> teamMembers(String org, String slug) {
        Team t = team(org, slug);
        if (t == null) {
            throw new IllegalArgumentException("no team " + org + "/" + slug);
        }
        return Collections.unmodifiableSet(new TreeSet<>(t.members.keySet()));
    }

    synchronized Team team(String org, String slug) {
        return teams.get(org.toLowerCase() + "/" + slug.toLowerCase());
    }

    synchronized boolean isOrgMember(String org, String login) {
        Set<String> m = orgMembers.get(org.toLowerCase());
        return m != null && m.contains(login);
    }

    // ---------------------------------------------------------------- faults and traffic

    /** The next {@code count} requests whose path matches {@code pathRegex} (find, not full match) fail. */
    public synchronized void failNextRequests(String pathRegex, int status, int count) {
        faults.add(new Fault(Pattern.compile(pathRegex), FaultKind.STATUS, status, Duration.ZERO, new int[] {count}));
    }

    /**
     * The next {@code count} requests (negative: all, until {@link #clearFaults()}) whose path matches {@code pathRegex}
     * hang: accepted and answered only after {@code delay}, or never when {@code delay} is null. A hung request holds
     * no lock, so other requests are answered meanwhile.
     */
    public synchronized void hangRequests(String pathRegex, Duration delay, int count) {
        faults.add(new Fault(Pattern.compile(pathRegex), FaultKind.HANG, 0, delay, new int[] {count}));
    }

    /**
     * The next {@code count} requests (negative: all, until cleared) whose path matches {@code pathRegex} are refused
     * for a rate limit: {@link FaultKind#PRIMARY_RATE_LIMIT} (403, remaining 0, reset {@code retryAfter} ahead) or
     * {@link FaultKind#SECONDARY_RATE_LIMIT} (429 with {@code Retry-After}).
     */
    public synchronized void rateLimitRequests(String pathRegex, FaultKind kind, Duration retryAfter, int count) {
        if (kind != FaultKind.PRIMARY_RATE_LIMIT && kind != FaultKind.SECONDARY_RATE_LIMIT) {
            throw new IllegalArgumentException("not a rate limit: " + kind);
        }
        int status = kind == FaultKind.PRIMARY_RATE_LIMIT ? 403 : 429;
        faults.add(new Fault(Pattern.compile(pathRegex), kind, status, retryAfter, new int[] {count}));
    }

    /** Removes every injected fault and lets every hung request answer. */
    public void clearFaults() {
        CountDownLatchRelease old;
        synchronized (this) {
            faults.clear();
            old = hangRelease;
            hangRelease = new CountDownLatchRelease();
        }
        old.latch.countDown();
    }

    /**
     * Test hook: just before the stand-in answers the next {@code method} request whose path matches {@code
     * pathRegex} (find), {@code action} runs once, outside the stand-in's lock, so it may act as a person does (push,
     * review). This is how tests put a force-push between two reads of the bot.
     */
    public synchronized void beforeNextRequest(String method, String pathRegex, Runnable action) {
        hooks.add(new Hook(method, Pattern.compile(pathRegex), action));
    }

    /** Drops the hooks that have not fired. */
    public synchronized void clearRequestHooks() {
        hooks.clear();
    }

    private synchronized Runnable takeHook(String method, String path) {
        for (java.util.Iterator<Hook> it = hooks.iterator(); it.hasNext(); ) {
            Hook h = it.next();
            if (h.method().equals(method) && h.path().matcher(path).find()) {
                it.remove();
                return h.action();
            }
        }
        return null;
    }

    public synchronized List<LoggedRequest> requestLog() {
        return List.copyOf(log);
    }

    public synchronized int requestCount() {
        return log.size();
    }

    public synchronized void clearRequestLog() {
        log.clear();
    }

    // ---------------------------------------------------------------- webhooks

    /**
     * Every later action is POSTed to {@code url}, signed with {@code secret}. Synchronous deliveries complete before
     * the action's method (or HTTP response) returns; asynchronous ones are sent in order on a background thread.
     */
    public synchronized void configureWebhook(String url, String secret, boolean async) {
        this.webhookUrl = Objects.requireNonNull(url, "url");
        this.webhookSecret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.asyncWebhooks = async;
    }

    public synchronized void disableWebhook() {
        webhookUrl = null;
    }

    /** Every delivery so far (also those made while no webhook was configured, never attempted). */
    public synchronized List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Re-sends a delivery with the same id and body, as GitHub's "Redeliver" does. */
    public WebhookDelivery redeliver(String deliveryId) {
        WebhookDelivery d;
        synchronized (this) {
            d = deliveries.stream()
                    .filter(x -> x.id().equals(deliveryId))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
            pending.add(d);
        }
        flushDeliveries();
        return d;
    }

    /** Waits until asynchronous deliveries queued so far have been attempted. */
    public void awaitDeliveries() {
        try {
            webhookExecutor.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook queue did not drain", e);
        }
    }

    /** Records a delivery (called under the monitor); it is sent by {@link #flushDeliveries()}. */
    synchronized void emit(String event, String action, Repo repo, User sender, ObjectNode payload) {
        if (shapes == null) {
            throw new IllegalStateException("start() the stand-in before acting on it");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("action", action);
        payload.properties().forEach(e -> body.set(e.getKey(), e.getValue()));
        body.set("repository", shapes.repository(repo));
        if ("Organization".equals(repo.owner.type)) {
            body.set("organization", shapes.organization(repo.owner));
        }
        body.set("sender", shapes.user(sender));
        Installation inst = installationFor(repo.name);
        if (inst != null) {
            ObjectNode i = body.putObject("installation");
            i.put("id", inst.id);
            i.put("node_id", Shapes.nodeId("Installation", inst.id));
        }
        byte[] bytes;
        try {
            bytes = Shapes.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String id = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitHub-Hookshot/standin");
        headers.put("X-GitHub-Event", event);
        headers.put("X-GitHub-Delivery", id);
        headers.put("X-GitHub-Hook-ID", "1");
        headers.put("X-GitHub-Hook-Installation-Target-Type", inst != null ? "integration" : "repository");
        headers.put("X-GitHub-Hook-Installation-Target-ID", String.valueOf(inst != null ? inst.app.id : repo.id));
        if (webhookSecret != null) {
            headers.put("X-Hub-Signature", legacySha1(webhookSecret, bytes));
            headers.put(WebhookSignature.HEADER, WebhookSignature.compute(webhookSecret, bytes));
        }
        WebhookDelivery d = new WebhookDelivery(
                id,
                event,
                action,
                bytes,
                Collections.unmodifiableMap(headers),
                Collections.synchronizedList(new ArrayList<>()));
        deliveries.add(d);
        pending.add(d);
    }

    /** GitHub still sends the old HMAC-SHA1 header next to the SHA-256 one; receivers should ignore it. */
    private static String legacySha1(byte[] secret, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA1"));
            return "sha1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends queued deliveries; must be called without holding the monitor. */
    void flushDeliveries() {
        List<WebhookDelivery> batch;
        String url;
        boolean async;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
            pending.clear();
            url = webhookUrl;
            async = asyncWebhooks;
        }
        if (url == null) {
            return;
        }
        for (WebhookDelivery d : batch) {
            if (async) {
                webhookExecutor.execute(() -> send(url, d));
            } else {
                send(url, d);
            }
        }
    }

    private void send(String url, WebhookDelivery d) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
        d.headers().forEach(b::header);
        try {
            HttpResponse<Void> r = webhookClient.send(b.build(), HttpResponse.BodyHandlers.discarding());
            d.responseStatuses().add(r.statusCode());
        } catch (IOException e) {
            d.responseStatuses().add(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.responseStatuses().add(-1);
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** Thrown by handlers to answer with a GitHub error body. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonNode body;

        ApiError(int status, String message) {
            this(status, Shapes.error(message));
        }

        ApiError(int status, JsonNode body) {
            super(body.path("message").asText(), null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** A handler's answer. */
    record Answer(int status, JsonNode body, Map<String, String> headers) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body, Map.of());
        }

        static Answer created(JsonNode body) {
            return new Answer(201, body, Map.of());
        }

        static Answer noContent() {
            return new Answer(204, null, Map.of());
        }
    }

    private void handle(Context ctx) throws InterruptedException {
        String method = ctx.method().name();
        String path = ctx.path();
        String query = ctx.queryString();
        if (path.startsWith(ADMIN_PREFIX)) {
            admin(ctx, method, path);
            return;
        }
        hangIfAsked(path);
        Answer answer;
        String principalKey = "-";
        Runnable hook = takeHook(method, path);
        if (hook != null) {
            hook.run();
        }
        synchronized (this) {
            try {
                Principal p = authenticate(ctx.header("Authorization"));
                principalKey = p == null ? "-" : p.key();
                Answer injected = injectedFault(path);
                if (injected != null) {
                    answer = injected;
                } else if (p == null) {
                    answer = new Answer(401, Shapes.error("Requires authentication"), Map.of());
                } else {
                    answer = rateLimited(p, path);
                    if (answer == null) {
                        byte[] body = ctx.bodyAsBytes();
                        if (method.equals("DELETE") && body.length == 0 && query != null) {
                            // Clients (hub4j among them) send DELETE parameters in the query string.
                            body = Shapes.JSON.writeValueAsBytes(StandInApi.query(query));
                        }
                        answer = apiHandler.route(method, decodePath(path), query, body, p, ctx);
                    }
                }
                if (p != null) {
                    answer = conditional(method, answer, ctx.header("If-None-Match"), p);
                    answer = withRateHeaders(answer, p);
                }
            } catch (ApiError e) {
                answer = new Answer(e.status, e.body, Map.of());
            } catch (IOException | RuntimeException e) {
                answer = new Answer(500, Shapes.error("Server Error: " + e), Map.of());
            }
            log.add(new LoggedRequest(now(), method, path, query, answer.status(), principalKey));
        }
        flushDeliveries();
        ctx.status(answer.status());
        answer.headers().forEach(ctx::header);
        ctx.header("X-GitHub-Request-Id", UUID.randomUUID().toString());
        ctx.header("X-GitHub-Api-Version-Selected", "2022-11-28");
        if (answer.body() != null) {
            ctx.contentType("application/json; charset=utf-8");
            try {
                ctx.result(Shapes.JSON.writeValueAsBytes(answer.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<String> decodePath(String path) {
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (!seg.isEmpty()) {
                out.add(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Answer injectedFault(String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.kind() != FaultKind.HANG && f.path().matcher(path).find()) {
                if (f.remaining()[0] > 0 && --f.remaining()[0] <= 0) {
                    it.remove();
                }
                return faultAnswer(f);
            }
        }
        return null;
    }

    private Answer faultAnswer(Fault f) {
        long seconds = Math.max(1, (f.delay().toMillis() + 999) / 1000);
        switch (f.kind()) {
            case PRIMARY_RATE_LIMIT: {
                // GitHub's primary limit: 403, nothing remaining, and the reset (epoch seconds) to wait for.
                Map<String, String> h = new LinkedHashMap<>();
                h.put("X-RateLimit-Limit", String.valueOf(rateLimit));
                h.put("X-RateLimit-Remaining", "0");
                h.put("X-RateLimit-Used", String.valueOf(rateLimit));
                h.put("X-RateLimit-Reset", String.valueOf(now().getEpochSecond() + seconds));
                h.put("X-RateLimit-Resource", "core");
                return new Answer(403, Shapes.error("API rate limit exceeded (injected)."), h);
            }
            case SECONDARY_RATE_LIMIT:
                return new Answer(
                        429,
                        Shapes.error("You have exceeded a secondary rate limit. Please wait a few minutes before you"
                                + " try again. (injected)"),
                        Map.of("Retry-After", String.valueOf(seconds)));
            default: {
                String msg = f.status() >= 500 ? "Server Error (injected)" : "Injected failure";
                Map<String, String> h = f.status() == 429 ? Map.of("Retry-After", "1") : Map.of();
                return new Answer(f.status(), Shapes.error(msg), h);
            }
        }
    }

    /** Waits, holding no lock, when a hang fault matches; a hang without delay waits until cleared or closed. */
    private void hangIfAsked(String path) throws InterruptedException {
        Fault hang = null;
        CountDownLatchRelease release;
        synchronized (this) {
            release = hangRelease;
            for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
                Fault f = it.next();
                if (f.kind() == FaultKind.HANG && f.path().matcher(path).find()) {
                    if (f.remaining()[0] > 0 && --f.remaining()[0] <= 0) {
                        it.remove();
                    }
                    hang = f;
                    break;
                }
            }
        }
        if (hang == null) {
            return;
        }
        if (hang.delay() == null) {
            release.latch.await();
        } else {
            release.latch.await(hang.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * GitHub's conditional requests: every 200 answer to a GET carries a weak ETag over its body (and Link header); an
     * {@code If-None-Match} naming it gets 304 with no body, which does not count against the rate limit.
     */
    private Answer conditional(String method, Answer a, String ifNoneMatch, Principal p) throws IOException {
        if (!method.equals("GET") || a.status() != 200 || a.body() == null) {
            return a;
        }
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(Shapes.JSON.writeValueAsBytes(a.body()));
        md.update(String.valueOf(a.headers().get("Link")).getBytes(StandardCharsets.UTF_8));
        String etag = "W/\"" + java.util.HexFormat.of().formatHex(md.digest(), 0, 20) + "\"";
        Map<String, String> h = new LinkedHashMap<>(a.headers());
        h.put("ETag", etag);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            long[] u = rateUsage.get(p.key());
            if (u != null && u[0] > 0) {
                u[0]--; // GitHub does not count an authorized 304
            }
            h.remove("Link");
            return new Answer(304, null, h);
        }
        return new Answer(a.status(), a.body(), h);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        String bare = etag.substring(2);
        for (String t : ifNoneMatch.split(",")) {
            String v = t.trim();
            if (v.equals("*")
                    || v.equals(etag)
                    || v.equals(bare)
                    || (v.startsWith("W/") && v.substring(2).equals(bare))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- admin endpoint

    /** Not GitHub's: lets a test in another process switch faults of a running stand-in. */
    public static final String ADMIN_PREFIX = "/_standin/";

    /**
     * {@code POST /_standin/faults} with {@code {"kind": "HANG|STATUS|PRIMARY_RATE_LIMIT|SECONDARY_RATE_LIMIT", "path":
     * regex, "status": 502, "delay_ms": 1000, "count": 1}} adds a fault; {@code DELETE /_standin/faults} clears them
     * and releases hung requests. Answers 204; 400 for a malformed fault.
     */
    private void admin(Context ctx, String method, String path) {
        if (!path.equals(ADMIN_PREFIX + "faults")) {
            ctx.status(404);
            return;
        }
        if (method.equals("DELETE")) {
            clearFaults();
            ctx.status(204);
            return;
        }
        if (!method.equals("POST")) {
            ctx.status(405);
            return;
        }
        try {
            JsonNode f = Shapes.JSON.readTree(ctx.bodyAsBytes());
            FaultKind kind = FaultKind.valueOf(f.path("kind").asText());
            String regex = f.path("path").asText(".*");
            int count = f.path("count").asInt(-1);
            Duration delay = f.hasNonNull("delay_ms")
                    ? Duration.ofMillis(f.get("delay_ms").asLong())
                    : null;
            switch (kind) {
                case HANG -> hangRequests(regex, delay, count);
                case STATUS -> failNextRequests(regex, f.path("status").asInt(502), count);
                default -> rateLimitRequests(regex, kind, delay == null ? Duration.ofSeconds(60) : delay, count);
            }
            ctx.status(204);
        } catch (IOException | IllegalArgumentException e) {
            ctx.status(400).result(String.valueOf(e.getMessage()));
        }
    }

    private Principal authenticate(String header) {
        if (header == null) {
            return null;
        }
        String value;
        if (header.regionMatches(true, 0, "token ", 0, 6)) {
            value = header.substring(6).trim();
        } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = header.substring(7).trim();
        } else {
            throw new ApiError(401, "Bad credentials");
        }
        if (value.chars().filter(c -> c == '.').count() == 2) {
            return new Principal(null, null, verifyJwt(value));
        }
        Token t = tokens.get(value);
        if (t == null) {
            throw new ApiError(401, "Bad credentials");
        }
        if (t.expiresAt != null && !now().isBefore(t.expiresAt)) {
            throw new ApiError(401, "Bad credentials");
        }
        return new Principal(t.user, t.installation, null);
    }

    /** RS256 JWT as GitHub checks it: the app's key, iss = app id, not expired, exp at most ~10 minutes out. */
    private App verifyJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            Base64.Decoder dec = Base64.getUrlDecoder();
            JsonNode header = Shapes.JSON.readTree(dec.decode(parts[0]));
            JsonNode claims = Shapes.JSON.readTree(dec.decode(parts[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                throw new ApiError(401, "A JSON web token could not be decoded");
            }
            long iss = Long.parseLong(claims.path("iss").asText());
            App app = apps.get(iss);
            if (app == null) {
                throw new ApiError(401, "Integration not found");
            }
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initVerify(app.publicKey);
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(dec.decode(parts[2]))) {
                throw new ApiError(401, "A JSON web token could not be decoded");
            }
            long now = now().getEpochSecond();
            long iat = claims.path("iat").asLong(Long.MIN_VALUE);
            long exp = claims.path("exp").asLong(Long.MIN_VALUE);
            if (exp <= now) {
                throw new ApiError(
                        401,
                        "'Expiration time' claim ('exp') must be a numeric value representing the"
                                + " future time at which the assertion expires");
            }
            if (exp > now + 600 + 30) {
                throw new ApiError(401, "'Expiration time' claim ('exp') is too far in the future");
            }
            if (iat > now + 60 || iat == Long.MIN_VALUE) {
                throw new ApiError(
                        401,
                        "'Issued at' claim ('iat') must be an Integer representing the time that the"
                                + " assertion was issued");
            }
            return app;
        } catch (ApiError e) {
            throw e;
        } catch (Exception e) {
            throw new ApiError(401, "A JSON web token could not be decoded");
        }
    }

    private long windowReset() {
        long now = now().getEpochSecond();
        return now - Math.floorMod(now, 3600) + 3600;
    }

    /** Primary rate limit per credential and hour; GET /rate_limit is free, as on GitHub. */
    private Answer rateLimited(Principal p, String path) {
        if (path.equals("/rate_limit")) {
            return null;
        }
        long reset = windowReset();
        long[] u = rateUsage.computeIfAbsent(p.key(), k -> new long[] {0, reset});
        if (u[1] != reset) {
            u[0] = 0;
            u[1] = reset;
        }
        if (u[0] >= rateLimit) {
            return new Answer(403, Shapes.error("API rate limit exceeded for " + p.key() + "."), Map.of());
        }
        u[0]++;
        return null;
    }

    synchronized long rateUsed(Principal p) {
        long[] u = rateUsage.get(p.key());
        return u == null || u[1] != windowReset() ? 0 : u[0];
    }

    private Answer withRateHeaders(Answer a, Principal p) {
        long used = rateUsed(p);
        Map<String, String> h = new LinkedHashMap<>(a.headers());
        // An injected primary limit brings its own headers.
        h.putIfAbsent("X-RateLimit-Limit", String.valueOf(rateLimit));
        h.putIfAbsent("X-RateLimit-Remaining", String.valueOf(Math.max(0, rateLimit - used)));
        h.putIfAbsent("X-RateLimit-Used", String.valueOf(used));
        h.putIfAbsent("X-RateLimit-Reset", String.valueOf(windowReset()));
        h.putIfAbsent("X-RateLimit-Resource", "core");
        return new Answer(a.status(), a.body(), h);
    }

    long rateLimitValue() {
        return rateLimit;
    }

    /** Requests per credential per clock hour (GitHub: 5000 for tokens). Lower it to test rate-limit handling. */
    public synchronized void setRateLimit(long perHour) {
        this.rateLimit = perHour;
    }

    long rateReset() {
        return windowReset();
    }

    /** Pages a list the way GitHub does: per_page (default 30, max 100), page, and a Link header. */
    Answer paginate(List<? extends JsonNode> items, String path, String query) {
        Map<String, String> q = StandInApi.query(query);
        int perPage = clamp(parseInt(q.get("per_page"), DEFAULT_PER_PAGE), 1, MAX_PER_PAGE);
        int page = Math.max(1, parseInt(q.get("page"), 1));
        int last = Math.max(1, (items.size() + perPage - 1) / perPage);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int from = (page - 1) * perPage;
        for (int i = from; i < Math.min(items.size(), from + perPage); i++) {
            out.add(items.get(i));
        }
        return new Answer(200, out, linkHeader(path, q, page, last));
    }

    /** Link header for a page of {@code last} pages; also used by the check-runs listing. */
    Map<String, String> linkHeader(String path, Map<String, String> q, int page, int last) {
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + pageUrl(path, q, page + 1) + ">; rel=\"next\"");
            links.add("<" + pageUrl(path, q, last) + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + pageUrl(path, q, 1) + ">; rel=\"first\"");
            links.add("<" + pageUrl(path, q, Math.min(page - 1, last)) + ">; rel=\"prev\"");
        }
        return links.isEmpty() ? Map.of() : Map.of("Link", String.join(", ", links));
    }

    private String pageUrl(String path, Map<String, String> q, int page) {
        Map<String, String> copy = new LinkedHashMap<>(q);
        copy.put("page", String.valueOf(page));
        StringBuilder sb = new StringBuilder(shapes.api()).append(path).append('?');
        copy.forEach((k, v) ->
                sb.append(Shapes.enc(k)).append('=').append(Shapes.enc(v)).append('&'));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    static int parseInt(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ApiError(422, Shapes.validation("invalid integer " + s, "Request", "page", "invalid"));
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
