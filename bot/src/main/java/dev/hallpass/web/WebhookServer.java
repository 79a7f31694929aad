package dev.hallpass.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.github.WebhookSignature;
import dev.hallpass.health.Health;
import dev.hallpass.observe.HallpassMetrics;
import dev.hallpass.observe.Logs;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook}: verifies GitHub's signature in constant time, ignores repeated deliveries,
 * and hands the event to a {@link Dispatcher} that queues the work, so GitHub gets its answer within
 * milliseconds (it gives up after 10 s). Also {@code /healthz} and {@code /readyz}.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    public static final long MAX_BODY_BYTES = 5L * 1024 * 1024;
    private static final int REMEMBERED_DELIVERIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decides what to do with a verified, new delivery; must not block on GitHub or policy work. */
    @FunctionalInterface
    public interface Dispatcher {
        /**
         * Returns a short note for the response body and logs, e.g. "queued pull request 42"; throws {@link
         * Overloaded} when the work cannot be queued now.
         */
        String dispatch(WebhookEvent event);
    }

    /** The dispatcher's queue is full: answer 503 so GitHub shows the failure, and accept a redelivery. */
    public static final class Overloaded extends RuntimeException {
        public Overloaded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The deliveries already seen, for ignoring redeliveries. In memory for one process; shared through the
     * state database when several replicas serve the same webhook.
     */
    public interface DeliveryLog {
        /** Records {@code deliveryId}; false when it was seen before. */
        boolean firstSeen(String deliveryId);

        /** Forgets {@code deliveryId}, so a redelivery of work that could not be queued is accepted. */
        void forget(String deliveryId);

        /** The last {@code max} deliveries of this process. */
        static DeliveryLog inMemory(int max) {
            Map<String, Boolean> seen = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > max;
                }
            });
            return new DeliveryLog() {
                @Override
                public boolean firstSeen(String deliveryId) {
                    return seen.putIfAbsent(deliveryId, Boolean.TRUE) == null;
                }

                @Override
                public void forget(String deliveryId) {
                    seen.remove(deliveryId);
                }
            };
        }
    }

    /** Counters for /readyz, logs and the bench. */
    public record Stats(long accepted, long duplicates, long unauthorized, long rejected) {}

    private final byte[] secret;
    private final Dispatcher dispatcher;
    private final Health health;
    private final DeliveryLog deliveries;
    private final HallpassMetrics metrics = HallpassMetrics.shared();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private Javalin app;

    /**
     * @param secret the webhook secret; a server without one would accept anyone's events, so it refuses
     *     to exist
     */
    public WebhookServer(String secret, Dispatcher dispatcher, BooleanSupplier ready) {
        this(
                secret,
                dispatcher,
                new Health()
                        .register(
                                "queue",
                                () -> ready.getAsBoolean()
                                        ? Health.Check.ok("accepting work")
                                        : Health.Check.failing("the work queue is full")),
                DeliveryLog.inMemory(REMEMBERED_DELIVERIES));
    }

    /**
     * @param health what /readyz reports
     * @param deliveries the deliveries seen, shared by the replicas when there are several
     */
    public WebhookServer(String secret, Dispatcher dispatcher, Health health, DeliveryLog deliveries) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook secret is required: refusing to accept unsigned webhooks");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.health = Objects.requireNonNull(health, "health");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    public WebhookServer start(String host, int port) {
        app = Javalin.create(config -> {
                    config.showJavalinBanner = false;
                    config.http.maxRequestSize = MAX_BODY_BYTES;
                    config.useVirtualThreads = false;
                })
                .post("/webhook", this::webhook)
                .get("/healthz", ctx -> ctx.result("ok"))
                .get("/readyz", this::readyz)
                .get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()))
                .start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public Stats stats() {
        return new Stats(accepted.get(), duplicates.get(), unauthorized.get(), rejected.get());
    }

    private void webhook(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            count(rejected, event(ctx), "rejected");
            ctx.status(413).result("payload larger than 5 MB");
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY_BYTES) {
            count(rejected, event(ctx), "rejected");
            ctx.status(413).result("payload larger than 5 MB");
            return;
        }
        // Verify before anything else reads the body: nothing unsigned may reach the dispatcher or the log of
        // deliveries.
        if (!WebhookSignature.verify(secret, body, ctx.header(WebhookSignature.HEADER))) {
            count(unauthorized, event(ctx), "unauthorized");
            LOG.warn("rejected a webhook with a missing or bad signature from {}", ctx.ip());
            ctx.status(401).result("bad signature");
            return;
        }
        String delivery = ctx.header("X-GitHub-Delivery");
        String event = ctx.header("X-GitHub-Event");
        if (delivery == null || delivery.isBlank() || event == null || event.isBlank()) {
            count(rejected, event(ctx), "rejected");
            ctx.status(400).result("missing X-GitHub-Delivery or X-GitHub-Event");
            return;
        }
        if (!deliveries.firstSeen(delivery)) {
            count(duplicates, event(ctx), "duplicate");
            ctx.status(200).result("duplicate delivery " + delivery + " ignored");
            return;
        }
        if (event.equals("ping")) {
            count(accepted, event(ctx), "accepted");
            ctx.result("pong");
            return;
        }
        WebhookEvent parsed;
        try {
            parsed = WebhookEvent.parse(event, body);
        } catch (WebhookEvent.NotAboutARepository e) {
            count(accepted, event(ctx), "accepted");
            ctx.status(202).result("ignored: " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            count(rejected, event(ctx), "rejected");
            ctx.status(400).result("cannot read the " + event + " payload: " + e.getMessage());
            return;
        }
        String note;
        // The delivery id follows the work into the queue's threads (KeyedWorkQueue carries the log context).
        try (Logs.Scope scope = Logs.context(
                "delivery", delivery, "event", event, "repo", parsed.repo().toString())) {
            note = dispatcher.dispatch(parsed);
        } catch (Overloaded e) {
            deliveries.forget(delivery);
            count(rejected, event(ctx), "overloaded");
            ctx.status(503).result(e.getMessage());
            return;
        }
        count(accepted, event(ctx), "accepted");
        LOG.info("delivery {} {}.{} on {}: {}", delivery, event, parsed.action(), parsed.repo(), note);
        ctx.status(202).result(note);
    }

    private void count(AtomicLong counter, String event, String result) {
        counter.incrementAndGet();
        metrics.webhook(event, result);
    }

    /** The event header as sent; only a label for metrics, never trusted before the signature is. */
    private static String event(Context ctx) {
        String e = ctx.header("X-GitHub-Event");
        return e == null || !e.matches("[a-z_]{1,40}") ? "unknown" : e;
    }

    /** 200 with every check when all pass, else 503: {"status":"ready","checks":{"database":{"ok":true,...}}}. */
    private void readyz(Context ctx) {
        Health.Report r = health.report();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", r.ready() ? "ready" : "not ready");
        ObjectNode checks = body.putObject("checks");
        r.checks().forEach((name, c) -> checks.putObject(name).put("ok", c.ok()).put("detail", c.detail()));
        ctx.status(r.ready() ? 200 : 503).contentType("application/json").result(body.toString());
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
