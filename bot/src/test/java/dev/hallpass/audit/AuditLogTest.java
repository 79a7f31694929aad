package dev.hallpass.audit;

import static dev.hallpass.audit.AuditFixture.T0;
import static dev.hallpass.audit.AuditFixture.logins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RoleName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditRow row(AuditLog log, String id) {
        return log.rows().stream()
                .filter(r -> r.request().value().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> codes(AuditRow r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    @Test
    void read_whenGrantExtendedThenExpired_reconstructsTheWholeStory() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest carol = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            Instant merged = T0.plus(Duration.ofHours(1));
            ObjectId grant = f.grant(carol, merged, logins("dave"));
            AccessRequest longer = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "3h");
            f.extend(longer, merged, merged.plus(Duration.ofMinutes(50)), logins("dave"));
            ObjectId expire = f.expire(longer, merged.plusSeconds(3 * 3600), merged.plusSeconds(3 * 3600 + 30));

            AuditLog log = f.audit(merged.plus(Duration.ofDays(1)));

            AuditRow r = row(log, "carol-readonly");
            assertEquals(Optional.of(new Login("carol")), r.requester());
            assertEquals(Optional.of(new RoleName("db-readonly")), r.role());
            assertEquals(OptionalInt.of(100), r.pullRequest());
            assertEquals(logins("dave"), r.approvedBy());
            assertEquals(List.of("extension.approved"), r.codes());
            assertEquals(grant.name(), r.mergeCommit());
            assertEquals(merged, r.mergedAt());
            assertEquals(merged, r.startsAt());
            assertEquals(merged.plusSeconds(3 * 3600), r.expiresAt());
            assertEquals(1, r.extensions());
            assertEquals(Optional.of("expire"), r.revokedHow());
            assertEquals(OptionalInt.of(102), r.revertPullRequest());
            assertEquals(Optional.of(expire.name()), r.revertCommit());
            assertEquals(merged.plusSeconds(3 * 3600), r.end());
            assertEquals(List.of(), r.findings(), () -> r.findings().toString());
            assertEquals(List.of(), log.findings());
        }
    }

    @Test
    void read_whenEmergencyRevokedEarlyAndAttested_recordsReviewAndRevocation() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(2));
            f.grant(alice, merged, List.of());
            ObjectId revoke = f.revoke(alice, "alice", merged.plus(Duration.ofMinutes(30)));
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(3)), false);

            AuditLog log = AuditLog.read(
                    f.repo, "main", new AuditLog.Options(Duration.ofHours(24), merged.plus(Duration.ofDays(3)), null));

            AuditRow r = row(log, "inc-4211-orders-db");
            assertTrue(r.emergency());
            assertEquals(Optional.of("INC-4211"), r.incident());
            assertEquals(Optional.of("revoke"), r.revokedHow());
            assertEquals(Optional.of(merged.plus(Duration.ofMinutes(30))), r.revokedAt());
            assertEquals(merged.plus(Duration.ofMinutes(30)), r.end());
            assertEquals(Optional.of(revoke.name()), r.revertCommit());
            assertEquals(Attestation.Outcome.APPROVE, r.review().orElseThrow().outcome());
            assertEquals(new Login("bob"), r.review().orElseThrow().reviewer());
            assertTrue(r.review().orElseThrow().counts());
            assertFalse(r.reviewOverdue());
            assertEquals(List.of(), log.findings(), () -> log.findings().toString());
        }
    }

    @Test
    void read_whenRequesterAttestsOwnEmergency_reviewDoesNotCountAndIsOverdue() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(2));
            f.grant(alice, merged, List.of());
            f.attest(alice, 100, "alice", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), false);

            AuditLog log = AuditLog.read(
                    f.repo, "main", new AuditLog.Options(Duration.ofHours(24), merged.plus(Duration.ofDays(2)), null));

            AuditRow r = row(log, "inc-4211-orders-db");
            assertFalse(r.review().orElseThrow().counts());
            assertTrue(r.reviewOverdue());
            assertTrue(codes(r).contains(Finding.SELF_REVIEW), codes(r)::toString);
            assertTrue(codes(r).contains(Finding.REVIEW_OVERDUE), codes(r)::toString);
            assertEquals(null, r.columns().get("reviewer"));
        }
    }

    @Test
    void read_whenTamperedReview_doesNotCount() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(2));
            f.grant(alice, merged, List.of());
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), true);

            AuditRow r = row(f.audit(merged.plus(Duration.ofHours(3))), "inc-4211-orders-db");

            assertFalse(r.review().orElseThrow().counts());
            assertTrue(codes(r).contains(Finding.REVIEW_TAMPERED), codes(r)::toString);
        }
    }

    @Test
    void read_whenReviewLaterMarkedTampered_earlierReviewNoLongerCounts() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(2));
            f.grant(alice, merged, List.of());
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), false);
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), true);

            AuditRow r = row(f.audit(merged.plus(Duration.ofHours(3))), "inc-4211-orders-db");

            assertFalse(r.review().orElseThrow().counts());
            assertTrue(r.review().orElseThrow().tampered());
            assertEquals(null, r.columns().get("review_outcome"));
        }
    }

    @Test
    void read_whenSelfReviewFollowsAValidOne_validOneStillCounts() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(2));
            f.grant(alice, merged, List.of());
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), false);
            f.attest(alice, 100, "alice", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(2)), false);

            AuditRow r = row(f.audit(merged.plus(Duration.ofHours(3))), "inc-4211-orders-db");

            assertEquals(new Login("bob"), r.review().orElseThrow().reviewer());
            assertTrue(r.review().orElseThrow().counts());
            assertTrue(codes(r).contains(Finding.SELF_REVIEW), codes(r)::toString);
        }
    }

    @Test
    void read_whenApproversCheckedAgainstCatalogAtPolicyCommit_flagsIneligibleAndTooFew() throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            Instant t = T0.plusSeconds(60);
            // db-readonly in prod-eu: one approval from group dba (carol, erin).
            f.grant(AuditFixture.request("dave-readonly", "dave", "db-readonly", "prod-eu", "1h"), t, logins("erin"));
            f.grant(AuditFixture.request("bob-readonly", "bob", "db-readonly", "prod-eu", "1h"), t, logins("frank"));
            // db-admin in prod-us: two approvals from dba or platform.
            f.grant(AuditFixture.request("alice-admin", "alice", "db-admin", "prod-us", "1h"), t, logins("carol"));
            f.grant(AuditFixture.request("bob-nowhere", "bob", "db-readonly", "moon", "1h"), t, logins("erin"));
            // The platform team removes erin from dba; later requests are judged by the new catalog.
            String groups = java.nio.file.Files.readString(
                            dev.hallpass.testing.TemplateRepo.PATH.resolve("catalog/groups.yaml"))
                    .replace("members: [carol, erin]", "members: [carol]");
            f.git.put("catalog/groups.yaml", groups);
            f.base = f.plain("Catalog: erin leaves the DBAs", t.plusSeconds(60));
            f.grant(
                    AuditFixture.request("ivan-readonly", "ivan", "db-readonly", "prod-eu", "1h"),
                    t.plusSeconds(120),
                    logins("erin"));

            AuditLog log = f.audit(t.plusSeconds(180));

            assertEquals(List.of(), row(log, "dave-readonly").findings(), () -> row(log, "dave-readonly")
                    .findings()
                    .toString());
            assertEquals(
                    List.of(Finding.APPROVER_NOT_ELIGIBLE, Finding.TOO_FEW_APPROVALS), codes(row(log, "bob-readonly")));
            assertEquals(List.of(Finding.TOO_FEW_APPROVALS), codes(row(log, "alice-admin")));
            assertEquals(List.of(Finding.NOT_IN_CATALOG), codes(row(log, "bob-nowhere")));
            assertEquals(
                    List.of(Finding.APPROVER_NOT_ELIGIBLE, Finding.TOO_FEW_APPROVALS),
                    codes(row(log, "ivan-readonly")));
        }
    }

    @Test
    void read_whenRoleNeedsNoApprovals_mergeWithoutApproverIsNoFinding() throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            Instant t = T0.plusSeconds(60);
            // db-readonly needs 0 approvals in staging and 1 in prod-eu.
            f.grant(AuditFixture.request("dave-staging", "dave", "db-readonly", "staging", "1h"), t, logins());
            f.grant(AuditFixture.request("dave-prod", "dave", "db-readonly", "prod-eu", "1h"), t, logins());

            AuditLog log = f.audit(t.plusSeconds(60));

            assertEquals(List.of(), codes(row(log, "dave-staging")));
            assertEquals(List.of(Finding.TOO_FEW_APPROVALS, Finding.NO_APPROVERS), codes(row(log, "dave-prod")));
        }
    }

    @Test
    void read_whenReviewerMayNotApproveTheRole_reviewDoesNotCount() throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = T0.plus(Duration.ofHours(1));
            f.grant(alice, merged, List.of());
            // bob is an SRE, not a DBA or platform engineer: not an approver of db-admin.
            f.attest(alice, 100, "bob", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(1)), false);
            f.attest(alice, 100, "carol", Attestation.Outcome.APPROVE, merged.plus(Duration.ofHours(2)), false);

            AuditRow r = row(f.audit(merged.plus(Duration.ofHours(3))), "inc-4211-orders-db");

            assertEquals(List.of(Finding.REVIEWER_NOT_ELIGIBLE), codes(r));
            assertEquals(new Login("carol"), r.review().orElseThrow().reviewer());
            assertTrue(r.review().orElseThrow().counts());
        }
    }

    @Test
    void read_whenRequestFileIsHugeOrBroken_recordsFindingsInsteadOfFailing() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.git.put("requests/huge-one.yaml", "reason: \"" + "x".repeat(2 << 20) + "\"\n");
            f.git.put("requests/broken-one.yaml", "requester: [\n");
            f.git.put("audit/reviews/huge-one.yaml", "x".repeat(2 << 20));
            f.plain("Hostile files", T0.plusSeconds(60));

            AuditLog log = f.audit(T0.plusSeconds(120));

            assertEquals(2, log.rows().size());
            for (AuditRow r : log.rows()) {
                assertTrue(codes(r).contains(Finding.UNREADABLE_FILE), codes(r)::toString);
                assertEquals(Optional.empty(), r.requester());
            }
            assertTrue(codes(row(log, "huge-one")).stream()
                            .filter(Finding.UNREADABLE_FILE::equals)
                            .count()
                    == 2);
        }
    }

    @Test
    void read_whenGrantAlsoChangesTheCatalog_flagsChangesBeyondTheRequest() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            f.git.put("catalog/roles.yaml", "roles: {}\n");

            f.grant(r, T0.plusSeconds(60), logins("dave"));

            AuditRow row = row(f.audit(T0.plusSeconds(120)), "carol-readonly");
            assertEquals(List.of(Finding.CHANGES_BEYOND_REQUEST), codes(row));
            assertTrue(row.findings().get(0).message().contains("also changes catalog"), row.findings()::toString);
        }
    }

    @Test
    void read_whenRequestMergedWithoutTrailers_flagsMergedOutsideHallpass() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest m = AuditFixture.request("mallory-admin", "mallory", "db-admin", "prod-eu", "8h");
            f.git.put(m.id().path(), AuditFixture.yaml(m));
            f.plain("Merge pull request #7 from mallory/access", T0.plusSeconds(60));

            AuditRow r = row(f.audit(T0.plusSeconds(120)), "mallory-admin");

            assertEquals(List.of(Finding.MERGED_OUTSIDE_HALLPASS), codes(r));
            assertEquals(Finding.Kind.INTEGRITY, r.findings().get(0).kind());
            // Git is the truth: the access was still in force, whatever the process.
            assertTrue(r.activeAt(T0.plusSeconds(61)));
        }
    }

    @Test
    void read_whenTrailerClaimsApprovalForAnotherRequest_flagsForgedTrailer() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest real = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            AccessRequest claimed = AuditFixture.request("dave-readonly", "dave", "db-readonly", "prod-eu", "1h");
            f.git.put(real.id().path(), AuditFixture.yaml(real));
            // A message copied from another request's merge: approved by erin, for dave's request.
            String forged =
                    CommitMessages.grant(claimed, 7, logins("erin"), f.decision("approved"), T0.plusSeconds(3600 + 60));
            f.git.merge(forged, T0.plusSeconds(60), f.base);
            f.git.updateRef("refs/heads/main");

            AuditLog log = f.audit(T0.plusSeconds(120));

            AuditRow r = row(log, "carol-readonly");
            assertTrue(
                    r.findings().stream()
                            .anyMatch(x -> x.code().equals(Finding.INCONSISTENT_TRAILER)
                                    && x.message().contains("Hallpass-Request dave-readonly")),
                    r.findings()::toString);
            assertTrue(
                    r.findings().stream().anyMatch(x -> x.message().contains("Hallpass-Requester dave")),
                    r.findings()::toString);
            assertTrue(
                    log.findings().stream()
                            .anyMatch(x -> x.message().contains("claims grant on request dave-readonly")),
                    log.findings()::toString);
        }
    }

    @Test
    void read_whenMalformedTrailer_recordsFindingInsteadOfFailing() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            f.git.put(r.id().path(), AuditFixture.yaml(r));
            String msg = CommitMessages.grant(r, 5, logins("dave"), f.decision("approved"), T0.plusSeconds(3660))
                    .replace("Hallpass-Pull-Request: 5", "Hallpass-Pull-Request: five");
            f.git.merge(msg, T0.plusSeconds(60), f.base);
            f.git.updateRef("refs/heads/main");

            AuditRow row = row(f.audit(T0.plusSeconds(120)), "carol-readonly");

            assertTrue(codes(row).contains(Finding.MALFORMED_TRAILER), codes(row)::toString);
            assertEquals(OptionalInt.empty(), row.pullRequest());
        }
    }

    @Test
    void read_whenPolicyCommitIsNotOnTheBranch_flagsIt() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
            f.git.put(r.id().path(), AuditFixture.yaml(r));
            DecisionStamp elsewhere = new DecisionStamp(DecisionStamp.digest("x"), "a".repeat(40), List.of("approved"));
            f.git.merge(
                    CommitMessages.grant(r, 5, logins("dave"), elsewhere, T0.plusSeconds(3660)),
                    T0.plusSeconds(60),
                    f.base);
            f.git.updateRef("refs/heads/main");

            AuditRow row = row(f.audit(T0.plusSeconds(120)), "carol-readonly");

            assertEquals(List.of(Finding.POLICY_COMMIT_UNKNOWN), codes(row));
        }
    }

    @Test
    void read_whenDeletedWithoutTrailers_endsAccessAndFlagsIt() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "2h");
            f.grant(r, T0.plusSeconds(60), logins("dave"));
            f.git.delete(r.id().path());
            f.plain("Remove carol's file", T0.plusSeconds(600));

            AuditRow row = row(f.audit(T0.plusSeconds(7200)), "carol-readonly");

            assertEquals(Optional.of("deleted"), row.revokedHow());
            assertEquals(T0.plusSeconds(600), row.end());
            assertEquals(List.of(Finding.CHANGED_OUTSIDE_HALLPASS), codes(row));
        }
    }

    @Test
    void read_whenScheduledStart_leaseStartsAtStart() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            Instant start = T0.plus(Duration.ofDays(2));
            AccessRequest base = AuditFixture.request("erin-maintenance", "erin", "db-admin", "prod-us", "3h");
            AccessRequest r = new AccessRequest(
                    base.id(),
                    base.requester(),
                    base.role(),
                    base.environment(),
                    base.duration(),
                    base.reason(),
                    false,
                    Optional.empty(),
                    Optional.of(start));
            f.grant(r, T0.plusSeconds(60), logins("dave"));

            AuditLog log = f.audit(T0.plus(Duration.ofDays(1)));
            AuditRow row = row(log, "erin-maintenance");

            assertEquals(start, row.startsAt());
            assertEquals(start.plus(Duration.ofHours(3)), row.expiresAt());
            assertEquals(List.of(), row.findings(), row.findings()::toString);
            RoleName role = new RoleName("db-admin");
            EnvironmentName env = new EnvironmentName("prod-us");
            assertEquals(List.of(), log.who(role, env, start.minusSeconds(1)));
            assertEquals(List.of(row), log.who(role, env, start));
            assertEquals(
                    List.of(row),
                    log.who(role, env, start.plus(Duration.ofHours(3)).minusSeconds(1)));
            assertEquals(List.of(), log.who(role, env, start.plus(Duration.ofHours(3))));
        }
    }

    @Test
    void rows_whenWindowGiven_keepsOnlyOverlappingRequests() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest early = AuditFixture.request("early-one", "carol", "db-readonly", "prod-eu", "1h");
            AccessRequest late = AuditFixture.request("late-one", "dave", "db-readonly", "prod-eu", "1h");
            f.grant(early, T0.plusSeconds(60), logins("erin"));
            f.grant(late, T0.plus(Duration.ofDays(5)), logins("erin"));

            AuditLog log = f.audit(T0.plus(Duration.ofDays(6)));

            assertEquals(2, log.rows().size());
            assertEquals(
                    List.of("late-one"),
                    log.rows(T0.plus(Duration.ofDays(1)), null).stream()
                            .map(r -> r.request().value())
                            .toList());
            assertEquals(
                    List.of("early-one"),
                    log.rows(null, T0.plus(Duration.ofDays(1))).stream()
                            .map(r -> r.request().value())
                            .toList());
            // The window is half-open: an access ending exactly at `since` is outside it.
            assertEquals(
                    List.of("late-one"),
                    log.rows(T0.plusSeconds(60 + 3600), null).stream()
                            .map(r -> r.request().value())
                            .toList());
        }
    }
}
