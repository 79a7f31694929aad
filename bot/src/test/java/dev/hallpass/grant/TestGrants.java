package dev.hallpass.grant;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Duration;
import java.time.Instant;

/** Grants for tests, all starting from one fixed instant. */
final class TestGrants {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private TestGrants() {}

    static Instant at(Duration d) {
        return T0.plus(d);
    }

    static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    /** A grant of {@code target} by {@code provider} to {@code person} from minute {@code from} to {@code to}. */
    static Grant grant(String id, String person, String provider, String target, long from, long to) {
        return new Grant(
                new RequestId(id),
                new Login(person),
                new RoleName("db-admin"),
                new EnvironmentName("prod-eu"),
                new ProviderName(provider),
                target,
                minutes(from),
                minutes(to),
                42,
                SHA,
                "approved by bob; policy allow");
    }

    static Grant grant(String id, String person, long from, long to) {
        return grant(id, person, "orders-db", "orders_admin", from, to);
    }
}
