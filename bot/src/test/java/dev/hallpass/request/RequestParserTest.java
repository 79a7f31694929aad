package dev.hallpass.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {
    private final RequestParser parser = new RequestParser();

    private static final String VALID =
            """
            apiVersion: hallpass/v1
            kind: AccessRequest
            requester: alice
            role: db-admin
            environment: prod-eu
            duration: 1h30m
            reason: "INC-4211: kill blocking queries"
            emergency: true
            incident: INC-4211
            start: 2026-11-22T01:00:00Z
            """;

    private static SourceFile file(String path, String text) {
        return new SourceFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_whenValid_returnsEveryField() {
        Problems problems = new Problems();
        AccessRequest r = parser.parse(file("requests/inc-4211.yaml", VALID), problems)
                .flatMap(RequestParser.Parsed::request)
                .orElseThrow();
        assertTrue(problems.isEmpty(), problems.sorted().toString());
        assertEquals(new RequestId("inc-4211"), r.id());
        assertEquals(Login.of("alice"), r.requester());
        assertEquals(RoleName.of("db-admin"), r.role());
        assertEquals(EnvironmentName.of("prod-eu"), r.environment());
        assertEquals(Duration.ofMinutes(90), r.duration().value());
        assertTrue(r.emergency());
        assertEquals(Optional.of("INC-4211"), r.incident());
        assertEquals(Optional.of(Instant.parse("2026-11-22T01:00:00Z")), r.start());
    }

    @Test
    void parse_whenManyFieldsAreWrong_reportsEveryOneWithItsLine() {
        String text =
                """
                apiVersion: hallpass/v2
                kind: AccessRequest
                requester: "-alice"
                role: DB_ADMIN
                environment: prod-eu
                duration: 2 hours
                reason: ""
                emergency: "yes"
                colour: blue
                """;
        Problems problems = new Problems();
        Optional<RequestParser.Parsed> parsed = parser.parse(file("requests/many-bad.yaml", text), problems);
        assertTrue(parsed.isPresent());
        assertTrue(parsed.get().request().isEmpty());
        List<String> got =
                problems.sorted().stream().map(p -> p.line() + ":" + p.code()).toList();
        assertEquals(
                List.of(
                        "1:request.apiVersion.unsupported",
                        "3:request.requester.invalid",
                        "4:request.role.invalid",
                        "6:request.duration.invalid",
                        "7:request.reason.empty",
                        "8:request.emergency.wrong_type",
                        "9:request.unknown_field"),
                got);
    }

    @ParameterizedTest(name = "{0} -> {1} at line {2}")
    @CsvSource({
        "yaml-bomb.yaml, yaml.anchor, 1",
        "custom-tag.yaml, yaml.tag, 3",
        "duplicate-key.yaml, yaml.duplicate_key, 4",
        "wrong-type.yaml, request.requester.wrong_type, 3",
        "lookalike-login.yaml, request.requester.non_ascii, 3",
        "negative-duration.yaml, request.duration.not_positive, 6",
        "absurd-duration.yaml, request.duration.too_long, 6",
        "unknown-field.yaml, request.unknown_field, 8",
        "syntax-error.yaml, yaml.syntax, 5",
        "two-documents.yaml, yaml.multiple_documents, 4",
        "nul-byte.yaml, file.control_character, 3",
        "emergency-without-incident.yaml, request.incident.required, 8",
        "not-a-mapping.yaml, request.wrong_type, 1",
        "deep-nesting.yaml, yaml.too_deep, 34",
    })
    @Timeout(5)
    void parse_whenHostile_reportsOneLineProblemWithoutCrashing(String fixture, String code, int line)
            throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("hostile/" + fixture)) {
            bytes = in.readAllBytes();
        }
        Problems problems = new Problems();
        Optional<RequestParser.Parsed> parsed = parser.parse(new SourceFile("requests/hostile.yaml", bytes), problems);
        assertTrue(parsed.flatMap(RequestParser.Parsed::request).isEmpty(), "a hostile file never yields a request");
        List<Problem> list = problems.sorted();
        assertTrue(
                list.stream().anyMatch(p -> p.code().equals(code) && p.line() == line),
                "expected " + code + " at line " + line + " in " + list);
        list.forEach(p -> assertFalse(p.message().contains("\n"), "one line: " + p.message()));
        list.forEach(p -> assertFalse(p.message().contains("Exception"), "no exception names: " + p.message()));
    }

    @Test
    @Timeout(5)
    void parse_whenFileOver64KiB_refusesBeforeParsing() {
        byte[] huge = ("reason: \"" + "a".repeat(70_000) + "\"\n").getBytes(StandardCharsets.UTF_8);
        Problems problems = new Problems();
        assertTrue(parser.parse(new SourceFile("requests/huge.yaml", huge), problems)
                .isEmpty());
        assertEquals("file.too_large", problems.sorted().get(0).code());
    }

    @Test
    void parse_whenNotUtf8_reportsLineOfFirstBadByte() {
        byte[] latin1 = "apiVersion: hallpass/v1\nreason: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Problems problems = new Problems();
        assertTrue(parser.parse(new SourceFile("requests/latin.yaml", latin1), problems)
                .isEmpty());
        Problem p = problems.sorted().get(0);
        assertEquals("file.not_utf8", p.code());
        assertEquals(2, p.line());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../etc/passwd.yaml",
                "requests/../hallpass.yaml",
                "requests/sub/dir.yaml",
                "catalog/roles.yaml",
                "requests/UPPER.yaml",
                "requests/ab.yaml",
                "requests/ok-name.yml",
                "requests/-leading.yaml",
            })
    void idOf_whenPathIsNotARequestFile_reportsIt(String path) {
        Problems problems = new Problems();
        assertTrue(RequestParser.idOf(path, problems).isEmpty());
        assertEquals(1, problems.size());
        assertTrue(
                problems.sorted().get(0).code().startsWith("request."),
                problems.sorted().toString());
    }
}
