package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAppliedGrantsTest {
    @TempDir
    Path dir;

    @Test
    void reopen_whenEntriesWritten_readsThemBack() {
        Path file = dir.resolve("state/applied.json");
        Grant g = grant("req-1", "alice", 0, 60);
        Grant h = grant("req-2", "bob", "github-teams", "prod-deployers", 0, 30);
        FileAppliedGrants store = new FileAppliedGrants(file);
        store.put(new AppliedGrant(g, true, false));
        store.put(new AppliedGrant(h, false, true));
        store.remove(grant("req-3", "carol", 0, 60).key());

        FileAppliedGrants reopened = new FileAppliedGrants(file);
        assertEquals(
                Map.of(g.key(), new AppliedGrant(g, true, false), h.key(), new AppliedGrant(h, false, true)),
                reopened.snapshot());

        reopened.remove(g.key());
        assertEquals(
                List.of(h.key()),
                List.copyOf(new FileAppliedGrants(file).snapshot().keySet()));
    }

    @Test
    void open_whenFileCorrupt_refusesRatherThanStartingEmpty() throws IOException {
        Path file = dir.resolve("applied.json");
        Files.writeString(file, "{\"version\":1,\"entries\":[{\"grant\":{\"person\":\"alice\"}}]}");
        var e = assertThrows(IllegalStateException.class, () -> new FileAppliedGrants(file));
        assertTrue(e.getMessage().contains("cannot read applied state"), e.getMessage());
    }

    @Test
    void reconcile_whenRestartedWithFileState_stillRevokesWhatItApplied() {
        Path file = dir.resolve("applied.json");
        MutableClock clock = new MutableClock(TestGrants.minutes(5));
        FakeProvider db = new FakeProvider("orders-db");
        Grant g = grant("req-1", "alice", 0, 60);
        GrantLedger ledger = GrantLedger.of(List.of(g), clock);
        new GrantExecutor(
                        Providers.of(List.of(db)),
                        new FileAppliedGrants(file),
                        RetryPolicy.once(),
                        d -> {},
                        clock,
                        AttemptListener.NONE)
                .reconcile(ledger, false);

        clock.set(TestGrants.minutes(60));
        GrantExecutor afterRestart = new GrantExecutor(
                Providers.of(List.of(db)),
                new FileAppliedGrants(file),
                RetryPolicy.once(),
                d -> {},
                clock,
                AttemptListener.NONE);
        ReconcileReport r = afterRestart.reconcile(ledger, false);
        assertEquals(Action.REVOKE, r.results().get(0).action());
        assertEquals(Presence.ABSENT, db.verify(g));
    }
}
