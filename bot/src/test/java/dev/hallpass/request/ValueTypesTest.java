package dev.hallpass.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

    @ParameterizedTest
    @CsvSource({"90m, PT1H30M", "2h, PT2H", "1h30m, PT1H30M", "PT2H, PT2H", "7d, PT168H", "45s, PT45S", "pt15m, PT15M"})
    void parse_whenDurationIsWellFormed_returnsIt(String text, String iso) {
        assertEquals(Duration.parse(iso), AccessDuration.parse(text).value());
    }

    @ParameterizedTest
    @CsvSource({
        "-2h, not_positive",
        "0m, not_positive",
        "PT0S, not_positive",
        "PT-2H, not_positive",
        "400d, too_long",
        "99999999h, too_long",
        "2 hours, invalid",
        "2H30, invalid",
        "h, invalid",
        "1.5h, invalid",
        "P1Y, invalid",
        "9999999999999999999999d, invalid",
    })
    void parse_whenDurationIsBad_refusesWithReason(String text, String reason) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> AccessDuration.parse(text));
        assertEquals(reason, e.reason());
    }

    @ParameterizedTest
    @CsvSource({
        "Alice, alice",
        "bob-smith, bob-smith",
        "a1, a1",
        "Alice_ACME, alice_acme",
        "bob-smith_acme2, bob-smith_acme2"
    })
    void login_whenValid_normalisesCase(String text, String expected) {
        assertEquals(expected, Login.of(text).value());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0430lice", // Cyrillic a
                "al\u0456ce", // Ukrainian i
                "alice\u200b", // zero-width space
                "\uff41lice", // fullwidth a
                "alic\u0435", // Cyrillic e
            })
    void login_whenLookAlike_refusesAsNonAscii(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Login.of(text));
        assertEquals("non_ascii", e.reason());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-alice",
                "alice-",
                "al--ice",
                "al ice",
                "_alice",
                "alice_",
                "al__ice",
                "a_b_c",
                "alice-_acme",
                "a234567890123456789012345678901234567890",
                "a2345678901234567890123456789012345_acme"
            })
    void login_whenMalformed_refuses(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Login.of(text));
        assertEquals("invalid", e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "-abc", "ABC", "a/b", "a.b", "..", "a_b"})
    void requestId_whenMalformed_refuses(String text) {
        assertThrows(InvalidValueException.class, () -> new RequestId(text));
    }
}
