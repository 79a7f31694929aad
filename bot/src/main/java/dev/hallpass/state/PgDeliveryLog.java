package dev.hallpass.state;

import dev.hallpass.web.WebhookServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook deliveries seen by any replica ({@code INSERT ... ON CONFLICT DO NOTHING}), so a redelivery that
 * the load balancer sends to another replica is still recognised. Rows older than {@code keep} are pruned
 * now and then. While the database is unreachable it falls back to the in-memory log: a duplicate then
 * costs a repeated, idempotent evaluation, never a lost event.
 */
public final class PgDeliveryLog implements WebhookServer.DeliveryLog {
    private static final Logger LOG = LoggerFactory.getLogger(PgDeliveryLog.class);

    private final StateDatabase db;
    private final Clock clock;
    private final Duration keep;
    private final WebhookServer.DeliveryLog fallback = WebhookServer.DeliveryLog.inMemory(10_000);
    private Instant nextPrune = Instant.MIN;

    public PgDeliveryLog(StateDatabase db, Clock clock, Duration keep) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keep = Objects.requireNonNull(keep, "keep");
    }

    @Override
    public boolean firstSeen(String deliveryId) {
        if (!fallback.firstSeen(deliveryId)) {
            return false;
        }
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement(
                        "INSERT INTO webhook_deliveries (delivery_id) VALUES (?) ON CONFLICT DO NOTHING"))) {
            s.setString(1, deliveryId);
            boolean fresh = s.executeUpdate() == 1;
            pruneNowAndThen(c);
            return fresh;
        } catch (SQLException e) {
            LOG.warn("delivery log unavailable, deduplicating in memory only: {}", StateDatabase.rootMessage(e));
            return true;
        }
    }

    @Override
    public void forget(String deliveryId) {
        fallback.forget(deliveryId);
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(
                        c.prepareStatement("DELETE FROM webhook_deliveries WHERE delivery_id = ?"))) {
            s.setString(1, deliveryId);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot forget delivery {}: {}", deliveryId, StateDatabase.rootMessage(e));
        }
    }

    private void pruneNowAndThen(Connection c) throws SQLException {
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(nextPrune)) {
                return;
            }
            nextPrune = now.plus(Duration.ofMinutes(10));
        }
        try (PreparedStatement s =
                StateDatabase.timed(c.prepareStatement("DELETE FROM webhook_deliveries WHERE received_at < ?"))) {
            s.setTimestamp(1, java.sql.Timestamp.from(now.minus(keep)));
            s.executeUpdate();
        }
    }
}
