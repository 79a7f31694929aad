package dev.hallpass.audit;

import static dev.hallpass.audit.AuditFixture.T0;
import static dev.hallpass.audit.AuditFixture.logins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.RoleName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseIndexTest {
    @TempDir
    Path dir;

    private static final Instant NOW = T0.plus(Duration.ofDays(30));

    private static LeaseIndex full(AuditFixture f) throws IOException {
        return LeaseIndex.of(f.audit(NOW));
    }

    private static LeaseIndex load(AuditFixture f, AtomicInteger audits) throws IOException {
        f.git.flush();
        ObjectId head = f.repo.resolve("refs/heads/main");
        return LeaseIndex.load(f.repo, head, () -> {
            audits.incrementAndGet();
            return f.audit(NOW);
        });
    }

    @Test
    void load_whenHeadMovedForward_replaysOnlyNewCommitsAndMatchesAFullAudit() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            Instant t = T0.plus(Duration.ofHours(1));
            AccessRequest carol = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            AccessRequest erin = AuditFixture.request("erin-readonly", "erin", "db-readonly", "prod-eu", "2h");
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            f.grant(carol, t, logins("dave"));
            f.grant(erin, t.plusSeconds(60), logins("dave"));
            f.grant(alice, t.plusSeconds(120), List.of());
            AtomicInteger audits = new AtomicInteger();
            LeaseIndex first = load(f, audits);

            // After the cache was written: an extension, an expiry, an early revoke, a scheduled grant, a
            // request merged without Hallpass, a re-used id and an unreadable file.
            AccessRequest erinLonger = AuditFixture.request("erin-readonly", "erin", "db-readonly", "prod-eu", "5h");
            f.extend(erinLonger, t.plusSeconds(60), t.plusSeconds(1800), logins("frank"));
            f.expire(carol, t.plusSeconds(3600), t.plusSeconds(3700));
            f.revoke(alice, "alice", t.plusSeconds(3800));
            AccessRequest plain = AuditFixture.request("gina-admin", "gina", "db-admin", "prod-us", "3h");
            Instant start = t.plus(Duration.ofDays(2));
            AccessRequest scheduled = new AccessRequest(
                    plain.id(),
                    plain.requester(),
                    plain.role(),
                    plain.environment(),
                    plain.duration(),
                    plain.reason(),
                    false,
                    Optional.empty(),
                    Optional.of(start));
            f.grant(scheduled, t.plusSeconds(3900), logins("dave"));
            AccessRequest mallory = AuditFixture.request("mallory-admin", "mallory", "db-admin", "prod-eu", "8h");
            f.git.put(mallory.id().path(), AuditFixture.yaml(mallory));
            f.plain("Merge pull request #9 from mallory/access", t.plusSeconds(4000));
            f.grant(carol, t.plusSeconds(4100), logins("dave"));
            f.git.put("requests/broken-one.yaml", "requester: [\n");
            f.plain("Broken request", t.plusSeconds(4200));
            LeaseIndex forward = load(f, audits);

            assertEquals(1, audits.get(), "only the first load may walk the whole history");
            assertEquals(3, first.leases().size());
            assertEquals(full(f).leases(), forward.leases());
            assertEquals(f.repo.resolve("refs/heads/main").name(), forward.head());
            assertEquals(
                    List.of("erin"),
                    forward
                            .who(new RoleName("db-readonly"), new EnvironmentName("prod-eu"), t.plusSeconds(3700))
                            .stream()
                            .map(LeaseIndex.Lease::person)
                            .toList());
            assertEquals(
                    1,
                    forward.who(new RoleName("db-admin"), new EnvironmentName("prod-us"), start)
                            .size());
        }
    }

    @Test
    void load_whenHistoryRewritten_rebuildsFromAFullAudit() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            Instant t = T0.plus(Duration.ofHours(1));
            AccessRequest carol = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            f.grant(carol, t, logins("dave"));
            AtomicInteger audits = new AtomicInteger();
            load(f, audits);
            f.git.startFrom(f.base);
            f.grant(AuditFixture.request("dave-readonly", "dave", "db-readonly", "prod-eu", "1h"), t, logins("erin"));

            LeaseIndex rebuilt = load(f, audits);

            assertEquals(2, audits.get());
            assertEquals(
                    List.of("dave-readonly"),
                    rebuilt.leases().stream().map(LeaseIndex.Lease::request).toList());
        }
    }

    @Test
    void load_whenCacheDamaged_rebuildsIt() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.grant(
                    AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h"),
                    T0.plusSeconds(60),
                    logins("dave"));
            AtomicInteger audits = new AtomicInteger();
            load(f, audits);
            Path cache = LeaseIndex.cacheFile(f.repo);
            Files.writeString(cache, Files.readString(cache).replace("\tcarol\t", "\t"));

            LeaseIndex again = load(f, audits);

            assertEquals(2, audits.get());
            assertEquals("carol", again.leases().get(0).person());
            assertTrue(Files.readString(cache).contains("\tcarol\t"));
        }
    }
}
