package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static dev.hallpass.grant.TestGrants.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrantTest {
    private static Grant make(Instant start, Instant end, int pr, String sha, String target, String decision) {
        return new Grant(
                new RequestId("req-1"),
                new Login("alice"),
                new RoleName("db-admin"),
                new EnvironmentName("prod-eu"),
                new ProviderName("orders-db"),
                target,
                start,
                end,
                pr,
                sha,
                decision);
    }

    @Test
    void constructor_whenExpiryNotAfterStart_throws() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> make(minutes(10), minutes(10), 1, TestGrants.SHA, "orders_admin", "ok"));
        assertTrue(e.getMessage().contains("not after its start"), e.getMessage());
    }

    @Test
    void constructor_whenFieldsInvalid_throws() {
        assertThrows(
                IllegalArgumentException.class,
                () -> make(minutes(0), minutes(10), 0, TestGrants.SHA, "orders_admin", "ok"));
        assertThrows(
                IllegalArgumentException.class, () -> make(minutes(0), minutes(10), 1, "abc", "orders_admin", "ok"));
        assertThrows(
                IllegalArgumentException.class,
                () -> make(minutes(0), minutes(10), 1, TestGrants.SHA.toUpperCase(), "orders_admin", "ok"));
        assertThrows(
                IllegalArgumentException.class,
                () -> make(minutes(0), minutes(10), 1, TestGrants.SHA, "bad\ntarget", "ok"));
        assertThrows(IllegalArgumentException.class, () -> make(minutes(0), minutes(10), 1, TestGrants.SHA, " ", "ok"));
        assertThrows(
                IllegalArgumentException.class,
                () -> make(minutes(0), minutes(10), 1, TestGrants.SHA, "orders_admin", ""));
        assertThrows(
                NullPointerException.class, () -> make(null, minutes(10), 1, TestGrants.SHA, "orders_admin", "ok"));
    }

    @Test
    void isLiveAt_whenAtBoundaries_includesStartExcludesExpiry() {
        Grant g = grant("req-1", "alice", 10, 70);
        assertFalse(g.isLiveAt(minutes(9)));
        assertTrue(g.isLiveAt(minutes(10)));
        assertTrue(g.isLiveAt(minutes(69)));
        assertFalse(g.isLiveAt(minutes(70)));
        assertEquals(Duration.ofHours(1), g.duration());
    }

    @Test
    void withExpiresAt_whenExtended_keepsIdentityAndKey() {
        Grant g = grant("req-1", "alice", 0, 60);
        Grant longer = g.withExpiresAt(minutes(120));
        assertEquals(g.requestId(), longer.requestId());
        assertEquals(g.key(), longer.key());
        assertEquals(minutes(120), longer.expiresAt());
    }
}
