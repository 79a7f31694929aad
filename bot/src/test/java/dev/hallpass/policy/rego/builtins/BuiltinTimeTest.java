package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallpass.policy.rego.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinTimeTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            time.parse_rfc3339_ns   | ["1677-09-21T00:12:43.145224192-00:00"]  | -9223372036854775808
            time.parse_rfc3339_ns   | ["1970-01-01T00:00:00-00:00"]            | 0
            time.parse_rfc3339_ns   | ["2017-06-02T19:00:00-07:00"]            | 1496455200000000000
            time.parse_rfc3339_ns   | ["2262-04-11T23:47:16.854775807-00:00"]  | 9223372036854775807
            time.parse_rfc3339_ns   | ["2017-06-02T19:00:00.5Z"]               | 1496430000500000000
            time.parse_ns           | ["2006-01-02", "2020-02-02"]             | 1580601600000000000
            time.parse_ns           | ["RFC822", "21 Nov 26 17:38 UTC"]        | 1795282680000000000
            time.parse_ns           | ["Mon Jan _2 15:04:05 -0700 2006", "Sat Nov 21 09:38:05 -0800 2026"] | 1795282685000000000
            time.parse_ns           | ["2006-01-02 15:04:05.000", "2026-11-21 17:38:00.123"] | 1795282680123000000
            time.parse_duration_ns  | ["100ms"]                                | 100000000
            time.parse_duration_ns  | ["1h30m"]                                | 5400000000000
            time.parse_duration_ns  | ["1.5h"]                                 | 5400000000000
            time.parse_duration_ns  | ["-2us"]                                 | -2000
            time.parse_duration_ns  | ["1µs"]                                  | 1000
            time.parse_duration_ns  | ["0"]                                    | 0
            time.parse_duration_ns  | ["1h2m3.5s4ns"]                          | 3723500000004
            time.date               | [1517814000000000000]                    | [2018, 2, 5]
            time.date               | [[1517814000000000000, "America/Los_Angeles"]] | [2018, 2, 4]
            time.clock              | [1517832000000000000]                    | [12, 0, 0]
            time.clock              | [[1517832000000000000, "America/New_York"]] | [7, 0, 0]
            time.weekday            | [1517832000000000000]                    | "Monday"
            time.weekday            | [1518350400000000000]                    | "Sunday"
            time.add_date           | [1585852421593912000, 3, 9, 12]          | 1705257221593912000
            time.add_date           | [1580428800000000000, 0, 1, 0]           | 1583107200000000000
            time.format             | [1670006453141828752]                    | "2022-12-02T18:40:53.141828752Z"
            time.format             | [[1670006453141828752, "Asia/Kolkata"]]  | "2022-12-03T00:10:53.141828752+05:30"
            time.format             | [[1670006453141828752, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006"]] | "Sat Dec 03 00:10:53 +0530 2022"
            time.format             | [[1670006453141828752, "Asia/Kolkata", "RFC1123Z"]] | "Sat, 03 Dec 2022 00:10:53 +0530"
            time.format             | [[1670006453141828752, "UTC", "Monday January 2 3:04:05.000 PM MST _2 002 06"]] | "Friday December 2 6:40:53.141 PM UTC  2 336 22"
            time.format             | [[0, "UTC", "RFC3339"]]                  | "1970-01-01T00:00:00Z"
            time.now_ns             | []                                       | 1670006453141828752
            """)
    void call_returnsGoResult_whenArgumentsValid(String name, String args, String want) {
        assertCall(name, args, want);
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            time.parse_rfc3339_ns  | ["1677-09-21T00:12:43.145224191-00:00"] | time outside of valid range
            time.parse_rfc3339_ns  | ["2262-04-11T23:47:16.854775808-00:00"] | time outside of valid range
            time.parse_rfc3339_ns  | ["2017-06-02"]                           | cannot parse
            time.date              | [1582977600000000000000]                 | timestamp too big
            time.clock             | [1582977600000000000000]                 | timestamp too big
            time.weekday           | [1582977600000000000000]                 | timestamp too big
            time.format            | [15829776000000000000000]                | timestamp too big
            time.add_date          | [0, 2262, 1, 1]                          | time outside of valid range
            time.parse_duration_ns | ["1"]                                    | time: missing unit in duration "1"
            time.parse_duration_ns | ["1x"]                                   | time: unknown unit "x" in duration "1x"
            time.parse_duration_ns | [""]                                     | time: invalid duration ""
            time.date              | [[0, "Mars/Olympus"]]                    | unknown time zone Mars/Olympus
            time.parse_ns          | ["2006-01-02", "2021-02-30"]             | day out of range
            time.parse_ns          | ["3:04PM", "5:38PM"]                     | time outside of valid range
            """)
    void call_throwsBuiltinError_whenInputOutOfRange(String name, String args, String message) {
        assertError(name, args, "eval_builtin_error", message);
    }

    @Test
    void diff_countsCalendarUnits_whenDatesSpanMonths() {
        assertEquals(Value.array(List.of(n(0), n(0), n(28), n(0), n(0), n(0))), diff("2020-02-02", "2020-03-01"));
        assertEquals(Value.array(List.of(n(0), n(0), n(27), n(0), n(0), n(0))), diff("2021-02-02", "2021-03-01"));
        assertEquals(Value.array(List.of(n(1), n(0), n(1), n(0), n(0), n(0))), diff("2004-02-29", "2005-03-01"));
    }

    @Test
    void diff_convertsZones_whenZonesDiffer() {
        long now = 1_670_006_453_141_828_752L;
        Value got = BuiltinTestSupport.call(
                new BuiltinTestSupport.TestContext(),
                "time.diff",
                List.of(
                        Value.array(Value.num(now + 60_000_000_000L), Value.str("UTC")),
                        Value.array(Value.num(now), Value.str("Asia/Shanghai"))));
        assertEquals(Value.array(List.of(n(0), n(0), n(0), n(0), n(1), n(0))), got);
    }

    private static Value.Num n(long v) {
        return Value.num(v);
    }

    private static Value diff(String a, String b) {
        BuiltinTestSupport.TestContext ctx = new BuiltinTestSupport.TestContext();
        Value x = BuiltinTestSupport.call(ctx, "time.parse_ns", List.of(Value.str("2006-01-02"), Value.str(a)));
        Value y = BuiltinTestSupport.call(ctx, "time.parse_ns", List.of(Value.str("2006-01-02"), Value.str(b)));
        return BuiltinTestSupport.call(ctx, "time.diff", List.of(x, y));
    }
}
