package dev.hallpass.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnCallTest {
    private static final OnCall.Rotation WEEKLY = new OnCall.Rotation(
            "sre-primary",
            ZoneId.of("Europe/Berlin"),
            LocalTime.of(9, 0),
            Duration.ofDays(7),
            LocalDate.of(2026, 10, 19),
            List.of(Login.of("alice"), Login.of("bob"), Login.of("dave")),
            List.of(new OnCall.Override(
                    Login.of("carol"), Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"))));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-10-19T06:59:59Z, ''", // 08:59:59 CEST: before the first hand-off
        "2026-10-19T07:00:00Z, alice", // 09:00 CEST: first shift
        "2026-10-26T07:59:00Z, alice", // 08:59 CET after the clocks went back: still alice
        "2026-10-26T08:00:00Z, bob", // 09:00 CET: hand-off stays at 09:00 local across DST
        "2026-11-02T08:00:00Z, dave",
        "2026-11-09T08:00:00Z, alice", // wraps around
        "2026-11-20T12:00:00Z, carol", // override
        "2026-11-21T00:00:00Z, bob", // override ended (exclusive)
    })
    void onCallAt_whenTimeGiven_followsRotationAndOverrides(String at, String expected) {
        Optional<Login> who = WEEKLY.onCallAt(Instant.parse(at));
        assertEquals(expected, who.map(Login::value).orElse(""));
    }
}
