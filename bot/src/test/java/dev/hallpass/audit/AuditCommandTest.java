package dev.hallpass.audit;

import static dev.hallpass.audit.AuditFixture.T0;
import static dev.hallpass.audit.AuditFixture.logins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.cli.CliRunner;
import dev.hallpass.request.AccessRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hallpass audit} commands end to end, on real repositories, through the CLI. */
class AuditCommandTest {
    @TempDir
    Path dir;

    private static final Instant MERGED = T0.plus(Duration.ofHours(1));
    private static final String NOW = "--now=2026-11-10T00:00:00Z";

    /** carol (approved, 1h, expired), alice (emergency, attested by bob, revoked), erin (active). */
    private AuditFixture history() throws Exception {
        AuditFixture f = new AuditFixture(dir);
        AccessRequest carol = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
        f.grant(carol, MERGED, logins("dave"));
        AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
        f.grant(alice, MERGED.plusSeconds(600), List.of());
        f.expire(carol, MERGED.plusSeconds(3600), MERGED.plusSeconds(3660));
        f.revoke(alice, "alice", MERGED.plusSeconds(1800));
        f.attest(alice, 101, "bob", Attestation.Outcome.APPROVE, MERGED.plusSeconds(7200), false);
        f.grant(
                AuditFixture.request("erin-readonly", "erin", "db-readonly", "prod-eu", "4h"),
                MERGED.plusSeconds(7300),
                logins("dave"));
        f.git.flush();
        return f;
    }

    private String repo() {
        return "--repo=" + dir;
    }

    @Test
    void audit_whenFormatJson_isWellFormedWithOneRowPerRequest() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result r = CliRunner.run("audit", repo(), "--format=json", NOW);

            assertEquals(0, r.exitCode(), r.err() + r.out());
            JsonNode doc = new ObjectMapper().readTree(r.out());
            assertEquals(3, doc.get("rows").size());
            JsonNode alice = doc.get("rows").get(1);
            assertEquals("inc-4211-orders-db", alice.get("request").asText());
            assertEquals("revoke", alice.get("revoked_how").asText());
            assertEquals("approve", alice.get("review_outcome").asText());
            assertEquals("bob", alice.get("reviewer").asText());
            assertEquals(101, alice.get("pull_request").asInt());
            assertEquals(f.git.head().name(), doc.get("head").asText());
        }
    }

    @Test
    void audit_whenFormatCsv_parsesBackToTheSameColumns() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result r = CliRunner.run("audit", repo(), "--format=csv", NOW);

            assertEquals(0, r.exitCode(), r.err());
            List<List<String>> rows = parseCsv(r.out());
            assertEquals(4, rows.size());
            assertEquals(24, rows.get(0).size());
            assertEquals("request", rows.get(0).get(0));
            for (List<String> row : rows) {
                assertEquals(24, row.size(), row::toString);
            }
            int reason = rows.get(0).indexOf("reason");
            assertEquals("INC-4211: kill blocking queries", rows.get(2).get(reason));
            assertEquals("carol-readonly", rows.get(1).get(0));
        }
    }

    @Test
    void audit_whenFormatMdOrTable_printsOneLinePerRequest() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result md = CliRunner.run("audit", repo(), "--format=md", NOW);
            CliRunner.Result table = CliRunner.run("audit", repo(), NOW);

            assertEquals(0, md.exitCode(), md.err());
            String[] lines = md.out().split("\n");
            assertEquals(5, lines.length);
            for (String l : lines) {
                assertTrue(l.startsWith("| ") && l.endsWith(" |") || l.startsWith("|---"), l);
                assertEquals(lines[0].split("(?<!\\\\)\\|").length, l.split("(?<!\\\\)\\|").length, l);
            }
            assertEquals(0, table.exitCode(), table.err());
            assertTrue(table.out().contains("3 request(s), 0 finding(s)"), table.out());
            assertTrue(table.out().lines().anyMatch(l -> l.startsWith("erin-readonly")), table.out());
        }
    }

    @Test
    void audit_whenFormatJsonl_verifyChainAcceptsItAndCatchesAnEdit() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result r = CliRunner.run("audit", repo(), "--format=jsonl", NOW);
            Path export = dir.resolve("audit.jsonl");
            Files.writeString(export, r.out(), StandardCharsets.UTF_8);

            CliRunner.Result ok = CliRunner.run("audit", "verify-chain", export.toString());
            Files.writeString(export, r.out().replace("\"approved_by\":[\"dave\"]", "\"approved_by\":[\"ceo\"]"));
            CliRunner.Result broken = CliRunner.run("audit", "verify-chain", export.toString());

            assertEquals(0, r.exitCode(), r.err());
            assertEquals(3, r.out().lines().count());
            assertEquals(0, ok.exitCode(), ok.out());
            assertTrue(ok.out().startsWith("intact: 3 record(s)"), ok.out());
            assertEquals(1, broken.exitCode(), broken.out());
            assertTrue(broken.out().contains("line 1 was changed"), broken.out());
        }
    }

    @Test
    void audit_whenSinceAndUntil_filtersRows() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result r = CliRunner.run(
                    "audit",
                    repo(),
                    "--format=json",
                    NOW,
                    "--since=" + MERGED.plusSeconds(3 * 3600),
                    "--until=2026-11-02");

            JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
            assertEquals(1, rows.size());
            assertEquals("erin-readonly", rows.get(0).get("request").asText());
        }
    }

    @Test
    void audit_whenEmergencyReviewMissingPastDeadline_exitsOneWithFinding() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.grant(
                    AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h"),
                    MERGED,
                    List.of());
            f.git.flush();

            CliRunner.Result early =
                    CliRunner.run("audit", repo(), "--review-deadline=72h", "--now=" + MERGED.plusSeconds(60));
            CliRunner.Result late = CliRunner.run("audit", repo(), "--review-deadline=72h", NOW);

            assertEquals(0, early.exitCode(), early.out());
            assertEquals(1, late.exitCode(), late.out());
            assertTrue(late.out().contains("review_overdue"), late.out());
        }
    }

    @Test
    void who_atBoundaries_startInclusiveEndExclusive() throws Exception {
        try (AuditFixture f = history()) {
            String start = MERGED.toString();
            String lastSecond = MERGED.plusSeconds(3599).toString();
            String end = MERGED.plusSeconds(3600).toString();

            CliRunner.Result before = CliRunner.run(
                    "audit",
                    "who",
                    repo(),
                    "--role=db-readonly",
                    "--environment=prod-eu",
                    "--at=" + MERGED.minusSeconds(1));
            CliRunner.Result atStart = CliRunner.run(
                    "audit", "who", repo(), "--role=db-readonly", "--environment=prod-eu", "--at=" + start);
            CliRunner.Result atLast = CliRunner.run(
                    "audit",
                    "who",
                    repo(),
                    "--role=db-readonly",
                    "--environment=prod-eu",
                    "--at=" + lastSecond,
                    "--format=json");
            CliRunner.Result atEnd = CliRunner.run(
                    "audit", "who", repo(), "--role=db-readonly", "--environment=prod-eu", "--at=" + end, "--no-cache");

            assertEquals(0, atStart.exitCode(), atStart.err());
            assertTrue(before.out().contains("0 person(s)"), before.out());
            assertTrue(atStart.out().startsWith("carol  carol-readonly"), atStart.out());
            JsonNode json = new ObjectMapper().readTree(atLast.out());
            assertEquals(1, json.size());
            assertEquals("carol", json.get(0).get("person").asText());
            assertEquals("dave", json.get(0).get("approved_by").get(0).asText());
            assertTrue(atEnd.out().contains("0 person(s)"), atEnd.out());
            assertTrue(Files.exists(LeaseIndex.cacheFile(f.repo)));
        }
    }

    @Test
    void who_whenRevokedEarly_endsAtTheRevocation() throws Exception {
        try (AuditFixture f = history()) {
            String[] args = {"audit", "who", repo(), "--role=db-admin", "--environment=prod-eu", "--at="};
            args[5] = "--at=" + MERGED.plusSeconds(1799);
            CliRunner.Result during = CliRunner.run(args);
            args[5] = "--at=" + MERGED.plusSeconds(1800);
            CliRunner.Result after = CliRunner.run(args);

            assertTrue(during.out().contains("alice  inc-4211-orders-db"), during.out());
            assertTrue(after.out().contains("0 person(s)"), after.out());
        }
    }

    @Test
    void who_whenHeadMoves_cacheIsRebuilt() throws Exception {
        try (AuditFixture f = history()) {
            String at = "--at=" + MERGED.plus(Duration.ofDays(1));
            CliRunner.Result first =
                    CliRunner.run("audit", "who", repo(), "--role=db-admin", "--environment=prod-us", at);
            f.grant(
                    AuditFixture.request("frank-admin", "frank", "db-admin", "prod-us", "2d"),
                    MERGED.plus(Duration.ofHours(20)),
                    logins("dave"));
            f.git.flush();

            CliRunner.Result second =
                    CliRunner.run("audit", "who", repo(), "--role=db-admin", "--environment=prod-us", at);

            assertTrue(first.out().contains("0 person(s)"), first.out());
            assertTrue(second.out().contains("frank  frank-admin"), second.out());
        }
    }

    @Test
    void verify_whenIntactAndCheckpointed_exitsZeroWithOneLine() throws Exception {
        try (AuditFixture f = history()) {
            CliRunner.Result cp = CliRunner.run("audit", "checkpoint", repo());
            f.grant(
                    AuditFixture.request("frank-admin", "frank", "db-admin", "prod-us", "2h"),
                    MERGED.plus(Duration.ofDays(1)),
                    logins("dave"));
            f.git.flush();

            CliRunner.Result r = CliRunner.run("audit", "verify", repo());

            assertEquals(0, cp.exitCode(), cp.out() + cp.err());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertEquals(1, r.out().lines().count(), r.out());
            assertTrue(r.out().startsWith("intact: "), r.out());
            assertTrue(r.out().contains("extends checkpoint"), r.out());
        }
    }

    @Test
    void verify_whenHistoryRewrittenAfterCheckpoint_exitsOne() throws Exception {
        try (AuditFixture f = history()) {
            ObjectId beforeRewrite = f.git.head();
            assertEquals(0, CliRunner.run("audit", "checkpoint", repo()).exitCode());
            // A force-push that drops the attestation and the last grant: rebuild from the base commit.
            f.git.startFrom(f.base);
            AccessRequest carol = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            f.grant(carol, MERGED, logins("dave"));
            f.git.flush();

            CliRunner.Result r = CliRunner.run("audit", "verify", repo());
            CliRunner.Result explicit =
                    CliRunner.run("audit", "verify", repo(), "--checkpoint=" + beforeRewrite.name());
            CliRunner.Result cp = CliRunner.run("audit", "checkpoint", repo());

            assertEquals(1, r.exitCode(), r.out());
            assertTrue(r.out().contains("is not an ancestor"), r.out());
            assertTrue(r.out().contains("history was rewritten"), r.out());
            assertEquals(1, explicit.exitCode(), explicit.out());
            assertEquals(1, cp.exitCode(), "a rewritten history must not be checkpointed: " + cp.out());
        }
    }

    @Test
    void verify_whenForgedTrailer_exitsOneWithTheReason() throws Exception {
        try (AuditFixture f = history()) {
            AccessRequest real = AuditFixture.request("mallory-admin", "mallory", "db-admin", "prod-eu", "8h");
            AccessRequest claimed = AuditFixture.request("erin-readonly", "erin", "db-readonly", "prod-eu", "4h");
            f.git.put(real.id().path(), AuditFixture.yaml(real));
            f.git.merge(
                    CommitMessages.grant(
                            claimed, 103, logins("dave"), f.decision("approved"), MERGED.plusSeconds(9000)),
                    MERGED.plusSeconds(9000),
                    f.base);
            f.git.updateRef("refs/heads/main");

            CliRunner.Result r = CliRunner.run("audit", "verify", repo());

            assertEquals(1, r.exitCode(), r.out());
            assertTrue(r.out().contains("forged or inconsistent trailer"), r.out());
            assertTrue(r.out().contains("Hallpass-Request erin-readonly"), r.out());
        }
    }

    @Test
    void verify_whenSignaturesRequiredAndAttestationUnsigned_exitsOne() throws Exception {
        try (AuditFixture f = history()) {
            CommitSigning.SigningKey k = CommitSigningTest.newKey();
            Path allowed = dir.resolve("allowed_signers");
            Files.writeString(allowed, "hallpass " + k.publicKeyLine() + "\n");

            CliRunner.Result loose = CliRunner.run("audit", "verify", repo(), "--allowed-signers=" + allowed);
            CliRunner.Result strict =
                    CliRunner.run("audit", "verify", repo(), "--allowed-signers=" + allowed, "--require-signed");

            assertEquals(0, loose.exitCode(), loose.out());
            assertEquals(1, strict.exitCode(), strict.out());
            assertTrue(strict.out().contains("attest commit is not signed"), strict.out());
        }
    }

    @Test
    void audit_whenUsageWrong_exitsTwo() throws Exception {
        try (AuditFixture f = history()) {
            assertEquals(2, CliRunner.run("audit", repo(), "--since=yesterday").exitCode());
            assertEquals(
                    2, CliRunner.run("audit", repo(), "--ref=no-such-branch").exitCode());
            assertEquals(
                    2,
                    CliRunner.run("audit", "--repo=" + dir.resolve("missing")).exitCode());
            assertEquals(
                    2, CliRunner.run("audit", "who", repo(), "--role=db-admin").exitCode());
            assertEquals(2, CliRunner.run("audit", repo(), "--require-signed").exitCode());
        }
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                continue;
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
