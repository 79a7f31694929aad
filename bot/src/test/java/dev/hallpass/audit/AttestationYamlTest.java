package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AttestationYamlTest {
    private final AttestationYaml yaml = new AttestationYaml();
    private static final Attestation A = new Attestation(
            new RequestId("inc-4211-orders-db"),
            42,
            Attestation.Outcome.APPROVE,
            new Login("bob"),
            "Checked \"the\" log\nline two: ok",
            Instant.parse("2026-11-21T10:00:00Z"),
            false);

    @Test
    void read_whenWrittenByWriter_roundTrips() {
        List<String> problems = new ArrayList<>();

        Optional<Attestation> back = yaml.read(A.path(), AttestationYaml.write(A), problems);

        assertEquals(List.of(), problems);
        assertEquals(Optional.of(A), back);
        assertEquals("audit/reviews/inc-4211-orders-db.yaml", A.path());
    }

    @Test
    void read_whenRecordedFromAComment_roundTripsTheCommentId() {
        Attestation fromComment = new Attestation(
                A.request(), A.pullRequest(), A.outcome(), A.reviewer(), A.note(), A.at(), false, OptionalLong.of(7));
        List<String> problems = new ArrayList<>();

        Optional<Attestation> back = yaml.read(A.path(), AttestationYaml.write(fromComment), problems);

        assertEquals(List.of(), problems);
        assertEquals(Optional.of(fromComment), back);
        assertEquals(Optional.of(fromComment.asTampered()), back.map(Attestation::asTampered));
        assertTrue(back.orElseThrow().asTampered().tampered());
    }

    @Test
    void read_whenUnknownField_refusesIt() {
        String text = new String(AttestationYaml.write(A), StandardCharsets.UTF_8) + "approved_by_ceo: true\n";
        List<String> problems = new ArrayList<>();

        Optional<Attestation> back = yaml.read(A.path(), text.getBytes(StandardCharsets.UTF_8), problems);

        assertEquals(Optional.empty(), back);
        assertTrue(problems.get(0).contains("unknown field 'approved_by_ceo'"), problems::toString);
    }

    @Test
    void read_whenFieldsWrongOrMissing_reportsEach() {
        String text = "apiVersion: hallpass/v1\nkind: RetroReview\nrequest: other-request\npull_request: -1\n"
                + "outcome: maybe\nreviewer: bob\nnote: x\nat: yesterday\n";
        List<String> problems = new ArrayList<>();

        Optional<Attestation> back = yaml.read(A.path(), text.getBytes(StandardCharsets.UTF_8), problems);

        assertEquals(Optional.empty(), back);
        String all = String.join("\n", problems);
        assertTrue(all.contains("pull_request must be a positive integer"), all);
        assertTrue(all.contains("outcome must be approve or reject"), all);
        assertTrue(all.contains("not an RFC 3339 time"), all);
        assertTrue(all.contains("missing field 'tampered'"), all);
        assertTrue(all.contains("does not match the file name"), all);
    }

    @Test
    void read_whenNotYaml_reportsInsteadOfThrowing() {
        List<String> problems = new ArrayList<>();

        Optional<Attestation> back = yaml.read(A.path(), "{{{: [".getBytes(StandardCharsets.UTF_8), problems);

        assertEquals(Optional.empty(), back);
        assertEquals(1, problems.size(), problems::toString);
    }
}
