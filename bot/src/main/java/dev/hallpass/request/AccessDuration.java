package dev.hallpass.request;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A positive length of access, written {@code 90m}, {@code 2h}, {@code 1h30m}, {@code 7d} or ISO-8601
 * {@code PT2H}. Anything over {@link #ABSOLUTE_MAX} is refused as absurd before any role limit applies.
 */
public record AccessDuration(Duration value) implements Comparable<AccessDuration> {
    public static final Duration ABSOLUTE_MAX = Duration.ofDays(366);
    private static final Pattern SHORT =
            Pattern.compile("(?:(\\d{1,12})d)?(?:(\\d{1,12})h)?(?:(\\d{1,12})m)?(?:(\\d{1,12})s)?");

    public AccessDuration {
        if (value == null) {
            throw new InvalidValueException("empty", "duration is empty");
        }
        if (value.isNegative() || value.isZero()) {
            throw new InvalidValueException("not_positive", "duration must be positive, got " + format(value));
        }
        if (value.compareTo(ABSOLUTE_MAX) > 0) {
            throw new InvalidValueException(
                    "too_long", "duration " + format(value) + " is longer than " + format(ABSOLUTE_MAX));
        }
    }

    public static AccessDuration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException("empty", "duration is empty");
        }
        String t = text.strip();
        if (t.startsWith("-")) {
            throw new InvalidValueException("not_positive", "duration must be positive, got '" + t + "'");
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return new AccessDuration(Duration.parse(t));
            } catch (DateTimeParseException | ArithmeticException e) {
                throw invalid(t);
            }
        }
        Matcher m = SHORT.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw invalid(t);
        }
        Duration d = Duration.ZERO;
        d = d.plusDays(group(m, 1))
                .plusHours(group(m, 2))
                .plusMinutes(group(m, 3))
                .plusSeconds(group(m, 4));
        return new AccessDuration(d);
    }

    private static long group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
    }

    private static InvalidValueException invalid(String t) {
        return new InvalidValueException(
                "invalid", "'" + Login.printable(t) + "' is not a duration; write e.g. 90m, 2h, 1h30m or PT2H");
    }

    /** The short form: {@code 1h30m}, {@code 2d}, {@code 45s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        return sb.toString();
    }

    @Override
    public int compareTo(AccessDuration o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return format(value);
    }
}
