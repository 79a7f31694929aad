package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrailersTest {
    private static final Instant EXPIRES = Instant.parse("2026-11-21T12:00:00Z");
    private static final String POLICY = "0123456789abcdef0123456789abcdef01234567";
    private static final DecisionStamp DECISION =
            new DecisionStamp(DecisionStamp.digest("input"), POLICY, List.of("approved", "role.eligible"));

    @Test
    void grant_whenFormatted_hasTitleBodyAndEveryTrailer() {
        AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h30m");

        String msg = CommitMessages.grant(r, 42, AuditFixture.logins("dave", "erin"), DECISION, EXPIRES);

        String[] parts = msg.split("\n\n");
        assertEquals("Grant access: carol-readonly (#42)", parts[0]);
        assertTrue(parts[1].startsWith("carol gets db-readonly on prod-eu for 1h30m"), parts[1]);
        assertEquals(
                "Hallpass-Request: carol-readonly\n"
                        + "Hallpass-Action: grant\n"
                        + "Hallpass-Pull-Request: 42\n"
                        + "Hallpass-Requester: carol\n"
                        + "Hallpass-Emergency: false\n"
                        + "Hallpass-Approved-By: dave, erin\n"
                        + "Hallpass-Expires-At: 2026-11-21T12:00:00Z\n"
                        + "Hallpass-Decision: " + DECISION.digest() + "\n"
                        + "Hallpass-Policy-Commit: " + POLICY + "\n"
                        + "Hallpass-Codes: approved, role.eligible\n",
                parts[parts.length - 1]);
    }

    @Test
    void grant_whenOpaGaveADecisionId_recordsItAndParsesItBack() {
        AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h30m");
        DecisionStamp withId = new DecisionStamp(
                DECISION.digest(), POLICY, DECISION.codes(), Optional.of("4ca636c1-55e4-417a-b1d8-4aceb67960d1"));

        String msg = CommitMessages.grant(r, 42, AuditFixture.logins("dave"), withId, EXPIRES);

        assertTrue(msg.contains("\nHallpass-Decision-Id: 4ca636c1-55e4-417a-b1d8-4aceb67960d1\n"), msg);
        Trailers.Parsed p = Trailers.parse(msg);
        assertEquals(List.of(), p.problems());
        assertEquals(
                Optional.of("4ca636c1-55e4-417a-b1d8-4aceb67960d1"),
                p.trailers().decisionId());
    }

    @Test
    void decisionStamp_whenTheDecisionIdIsNotAnId_isRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DecisionStamp(
                        DECISION.digest(), POLICY, List.of(), Optional.of("x\nHallpass-Action: grant")));
    }

    @Test
    void parse_whenMessageFromBuilder_roundTrips() {
        AccessRequest r = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");

        Trailers.Parsed p = Trailers.parse(CommitMessages.grant(r, 7, List.of(), DECISION, EXPIRES));

        assertEquals(List.of(), p.problems());
        Trailers t = p.trailers();
        assertEquals(Optional.of(new RequestId("inc-4211-orders-db")), t.request());
        assertEquals(Optional.of(AuditAction.GRANT), t.action());
        assertEquals(OptionalInt.of(7), t.pullRequest());
        assertEquals(Optional.of(new Login("alice")), t.requester());
        assertEquals(Optional.of(true), t.emergency());
        assertTrue(t.approvedByPresent());
        assertEquals(List.of(), t.approvedBy());
        assertEquals(Optional.of(EXPIRES), t.expiresAt());
        assertEquals(Optional.of(DECISION.digest()), t.decision());
        assertEquals(Optional.of(POLICY), t.policyCommit());
        assertEquals(List.of("approved", "role.eligible"), t.codes());
    }

    @Test
    void parse_whenExpireRevokeAndAttestMessages_roundTrip() {
        AccessRequest r = AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h");
        Attestation a = new Attestation(
                r.id(), 42, Attestation.Outcome.REJECT, new Login("bob"), "no incident found", EXPIRES, false);

        Trailers expire = Trailers.parse(CommitMessages.expire(r, 43, EXPIRES)).trailers();
        Trailers revoke = Trailers.parse(CommitMessages.revoke(r, 44, new Login("carol"), "done"))
                .trailers();
        Trailers attest =
                Trailers.parse(CommitMessages.attest(a, r.requester())).trailers();

        assertEquals(Optional.of(AuditAction.EXPIRE), expire.action());
        assertEquals(Optional.of(EXPIRES), expire.expiresAt());
        assertEquals(OptionalInt.of(43), expire.pullRequest());
        assertEquals(Optional.of(AuditAction.REVOKE), revoke.action());
        assertEquals(Optional.of(new Login("carol")), revoke.revokedBy());
        assertEquals(Optional.of(AuditAction.REJECT), attest.action());
        assertEquals(Optional.of(new Login("bob")), attest.reviewer());
        assertEquals(Optional.of(new Login("carol")), attest.requester());
    }

    @Test
    void parse_whenValuesMalformed_reportsEachWithoutThrowing() {
        String msg = "Grant access\n\nbody\n\n"
                + "Hallpass-Request: Not_An_Id\n"
                + "Hallpass-Action: granted\n"
                + "Hallpass-Decision: sha256:xyz\n"
                + "Hallpass-Pull-Request: -3\n"
                + "Hallpass-Emergency: yes\n"
                + "Hallpass-Approved-By: dave,,erin\n"
                + "Hallpass-Expires-At: tomorrow\n"
                + "Hallpass-Requester: Carol\n"
                + "Hallpass-Colour: blue\n";

        Trailers.Parsed p = Trailers.parse(msg);

        assertTrue(p.trailers().isEmpty(), p.trailers()::toString);
        assertEquals(9, p.problems().size(), p.problems()::toString);
        assertTrue(p.problems().stream().anyMatch(x -> x.contains("unknown trailer 'Hallpass-Colour'")));
    }

    @Test
    void parse_whenKeyRepeated_trustsNeitherValue() {
        Trailers.Parsed p =
                Trailers.parse("t\n\nHallpass-Requester: carol\nHallpass-Requester: mallory\nHallpass-Action: grant\n");

        assertEquals(Optional.empty(), p.trailers().requester());
        assertEquals(Optional.of(AuditAction.GRANT), p.trailers().action());
        assertEquals(1, p.problems().size());
    }

    @Test
    void parse_whenTrailerOutsideLastParagraph_reportsIt() {
        Trailers.Parsed p = Trailers.parse("t\n\nHallpass-Approved-By: ceo\n\nSigned-off-by: x <x@y>\n");

        assertFalse(p.trailers().approvedByPresent());
        assertEquals(1, p.problems().size());
    }

    @Test
    void parse_whenNoTrailers_isEmptyAndClean() {
        Trailers.Parsed p = Trailers.parse("Merge pull request #7 from mallory/access\n\nAdd my access");

        assertTrue(p.trailers().isEmpty());
        assertEquals(List.of(), p.problems());
    }

    @Test
    void message_whenBodyLooksLikeATrailer_indentsItSoItIsNotOne() {
        String msg = CommitMessages.message(
                "t",
                "Hallpass-Approved-By: ceo",
                Trailers.builder().action(AuditAction.GRANT).build());

        Trailers.Parsed p = Trailers.parse(msg);

        assertFalse(p.trailers().approvedByPresent());
        assertEquals(List.of(), p.problems());
    }

    @Test
    void decisionStamp_whenDigestMalformed_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DecisionStamp("sha256:abc", POLICY, List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> new DecisionStamp(DecisionStamp.digest("x"), "HEAD", List.of()));
        assertEquals(71, DecisionStamp.digest("x").length());
    }
}
