package dev.hallpass.policy.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Go's time layouts (reference time Mon Jan 2 15:04:05 MST 2006), formatting and parsing. */
final class GoTime {
    private GoTime() {}

    /** A parse failure, worded like Go's time.ParseError. */
    static final class ParseError extends RuntimeException {
        ParseError(String msg) {
            super(msg, null, false, false);
        }
    }

    static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("ANSIC", "Mon Jan _2 15:04:05 2006"),
            Map.entry("UnixDate", "Mon Jan _2 15:04:05 MST 2006"),
            Map.entry("RubyDate", "Mon Jan 02 15:04:05 -0700 2006"),
            Map.entry("RFC822", "02 Jan 06 15:04 MST"),
            Map.entry("RFC822Z", "02 Jan 06 15:04 -0700"),
            Map.entry("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
            Map.entry("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
            Map.entry("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
            Map.entry("RFC3339", "2006-01-02T15:04:05Z07:00"),
            Map.entry("RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"),
            Map.entry("Kitchen", "3:04PM"),
            Map.entry("Stamp", "Jan _2 15:04:05"),
            Map.entry("StampMilli", "Jan _2 15:04:05.000"),
            Map.entry("StampMicro", "Jan _2 15:04:05.000000"),
            Map.entry("StampNano", "Jan _2 15:04:05.000000000"),
            Map.entry("DateTime", "2006-01-02 15:04:05"),
            Map.entry("DateOnly", "2006-01-02"),
            Map.entry("TimeOnly", "15:04:05"));

    static String layout(String nameOrLayout) {
        return NAMED.getOrDefault(nameOrLayout, nameOrLayout);
    }

    enum Std {
        LONG_MONTH,
        MONTH,
        NUM_MONTH,
        ZERO_MONTH,
        LONG_WEEKDAY,
        WEEKDAY,
        DAY,
        UNDER_DAY,
        ZERO_DAY,
        UNDER_YEARDAY,
        ZERO_YEARDAY,
        HOUR,
        HOUR12,
        ZERO_HOUR12,
        MINUTE,
        ZERO_MINUTE,
        SECOND,
        ZERO_SECOND,
        LONG_YEAR,
        YEAR,
        PM,
        LOWER_PM,
        TZ,
        ISO8601_TZ,
        ISO8601_SECONDS_TZ,
        ISO8601_SHORT_TZ,
        ISO8601_COLON_TZ,
        ISO8601_COLON_SECONDS_TZ,
        NUM_TZ,
        NUM_SECONDS_TZ,
        NUM_SHORT_TZ,
        NUM_COLON_TZ,
        NUM_COLON_SECONDS_TZ,
        FRAC0,
        FRAC9
    }

    /** A layout piece: literal text, or a std element (with its digit count for fractions). */
    record Chunk(String literal, Std std, int digits, char sep) {}

    static List<Chunk> chunks(String layout) {
        List<Chunk> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < layout.length()) {
            Object[] m = match(layout, i);
            if (m == null) {
                lit.append(layout.charAt(i));
                i++;
                continue;
            }
            if (lit.length() > 0) {
                out.add(new Chunk(lit.toString(), null, 0, ' '));
                lit.setLength(0);
            }
            out.add((Chunk) m[0]);
            i = (int) m[1];
        }
        if (lit.length() > 0) {
            out.add(new Chunk(lit.toString(), null, 0, ' '));
        }
        return out;
    }

    private static Object[] std(Std s, int end) {
        return new Object[] {new Chunk(null, s, 0, ' '), end};
    }

    /** Go's nextStdChunk at position i; null if no std element starts there. */
    private static Object[] match(String l, int i) {
        char c = l.charAt(i);
        switch (c) {
            case 'J':
                if (l.startsWith("Jan", i)) {
                    return l.startsWith("January", i) ? std(Std.LONG_MONTH, i + 7) : std(Std.MONTH, i + 3);
                }
                return null;
            case 'M':
                if (l.startsWith("Mon", i)) {
                    return l.startsWith("Monday", i) ? std(Std.LONG_WEEKDAY, i + 6) : std(Std.WEEKDAY, i + 3);
                }
                if (l.startsWith("MST", i)) {
                    return std(Std.TZ, i + 3);
                }
                return null;
            case '0':
                if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
                    Std[] s = {Std.ZERO_MONTH, Std.ZERO_DAY, Std.ZERO_HOUR12, Std.ZERO_MINUTE, Std.ZERO_SECOND, Std.YEAR
                    };
                    return std(s[l.charAt(i + 1) - '1'], i + 2);
                }
                if (l.startsWith("002", i)) {
                    return std(Std.ZERO_YEARDAY, i + 3);
                }
                return null;
            case '1':
                if (l.startsWith("15", i)) {
                    return std(Std.HOUR, i + 2);
                }
                return std(Std.NUM_MONTH, i + 1);
            case '2':
                if (l.startsWith("2006", i)) {
                    return std(Std.LONG_YEAR, i + 4);
                }
                return std(Std.DAY, i + 1);
            case '_':
                if (l.startsWith("_2", i)) {
                    if (l.startsWith("_2006", i)) {
                        // "_2006" is a literal underscore followed by the year.
                        return null;
                    }
                    return std(Std.UNDER_DAY, i + 2);
                }
                if (l.startsWith("__2", i)) {
                    return std(Std.UNDER_YEARDAY, i + 3);
                }
                return null;
            case '3':
                return std(Std.HOUR12, i + 1);
            case '4':
                return std(Std.MINUTE, i + 1);
            case '5':
                return std(Std.SECOND, i + 1);
            case 'P':
                return l.startsWith("PM", i) ? std(Std.PM, i + 2) : null;
            case 'p':
                return l.startsWith("pm", i) ? std(Std.LOWER_PM, i + 2) : null;
            case '-':
                if (l.startsWith("-070000", i)) {
                    return std(Std.NUM_SECONDS_TZ, i + 7);
                }
                if (l.startsWith("-07:00:00", i)) {
                    return std(Std.NUM_COLON_SECONDS_TZ, i + 9);
                }
                if (l.startsWith("-0700", i)) {
                    return std(Std.NUM_TZ, i + 5);
                }
                if (l.startsWith("-07:00", i)) {
                    return std(Std.NUM_COLON_TZ, i + 6);
                }
                if (l.startsWith("-07", i)) {
                    return std(Std.NUM_SHORT_TZ, i + 3);
                }
                return null;
            case 'Z':
                if (l.startsWith("Z070000", i)) {
                    return std(Std.ISO8601_SECONDS_TZ, i + 7);
                }
                if (l.startsWith("Z07:00:00", i)) {
                    return std(Std.ISO8601_COLON_SECONDS_TZ, i + 9);
                }
                if (l.startsWith("Z0700", i)) {
                    return std(Std.ISO8601_TZ, i + 5);
                }
                if (l.startsWith("Z07:00", i)) {
                    return std(Std.ISO8601_COLON_TZ, i + 6);
                }
                if (l.startsWith("Z07", i)) {
                    return std(Std.ISO8601_SHORT_TZ, i + 3);
                }
                return null;
            case '.', ',':
                if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                    char ch = l.charAt(i + 1);
                    int j = i + 1;
                    while (j < l.length() && l.charAt(j) == ch) {
                        j++;
                    }
                    if (!(j < l.length() && Character.isDigit(l.charAt(j)))) {
                        return new Object[] {new Chunk(null, ch == '0' ? Std.FRAC0 : Std.FRAC9, j - i - 1, c), j};
                    }
                }
                return null;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------------------------ format

    static String format(ZonedDateTime t, String layout) {
        StringBuilder sb = new StringBuilder();
        for (Chunk ch : chunks(layout)) {
            if (ch.literal() != null) {
                sb.append(ch.literal());
                continue;
            }
            int offset = t.getOffset().getTotalSeconds();
            switch (ch.std()) {
                case LONG_MONTH -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case MONTH -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case NUM_MONTH -> sb.append(t.getMonthValue());
                case ZERO_MONTH -> pad(sb, t.getMonthValue(), 2, '0');
                case LONG_WEEKDAY -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case WEEKDAY -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case DAY -> sb.append(t.getDayOfMonth());
                case UNDER_DAY -> pad(sb, t.getDayOfMonth(), 2, ' ');
                case ZERO_DAY -> pad(sb, t.getDayOfMonth(), 2, '0');
                case UNDER_YEARDAY -> pad(sb, t.getDayOfYear(), 3, ' ');
                case ZERO_YEARDAY -> pad(sb, t.getDayOfYear(), 3, '0');
                case HOUR -> pad(sb, t.getHour(), 2, '0');
                case HOUR12 -> sb.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case ZERO_HOUR12 -> pad(sb, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, '0');
                case MINUTE -> sb.append(t.getMinute());
                case ZERO_MINUTE -> pad(sb, t.getMinute(), 2, '0');
                case SECOND -> sb.append(t.getSecond());
                case ZERO_SECOND -> pad(sb, t.getSecond(), 2, '0');
                case LONG_YEAR -> {
                    int y = t.getYear();
                    if (y < 0) {
                        sb.append('-');
                    }
                    pad(sb, Math.abs(y), 4, '0');
                }
                case YEAR -> pad(sb, Math.floorMod(t.getYear(), 100), 2, '0');
                case PM -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
                case LOWER_PM -> sb.append(t.getHour() >= 12 ? "pm" : "am");
                case TZ -> sb.append(abbreviation(t));
                case ISO8601_TZ, ISO8601_SECONDS_TZ, ISO8601_SHORT_TZ, ISO8601_COLON_TZ, ISO8601_COLON_SECONDS_TZ -> {
                    if (offset == 0) {
                        sb.append('Z');
                    } else {
                        offset(sb, offset, ch.std());
                    }
                }
                case NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ -> offset(
                        sb, offset, ch.std());
                case FRAC0 -> {
                    String ns = String.format("%09d", t.getNano());
                    sb.append(ch.sep()).append(ns, 0, Math.min(9, ch.digits()));
                }
                case FRAC9 -> {
                    String ns = String.format("%09d", t.getNano()).substring(0, Math.min(9, ch.digits()));
                    int end = ns.length();
                    while (end > 0 && ns.charAt(end - 1) == '0') {
                        end--;
                    }
                    if (end > 0) {
                        sb.append(ch.sep()).append(ns, 0, end);
                    }
                }
                default -> throw new IllegalStateException(ch.std().name());
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int v, int width, char fill) {
        String s = Integer.toString(v);
        for (int k = s.length(); k < width; k++) {
            sb.append(fill);
        }
        sb.append(s);
    }

    private static void offset(StringBuilder sb, int offset, Std std) {
        sb.append(offset < 0 ? '-' : '+');
        int abs = Math.abs(offset);
        int h = abs / 3600;
        int m = abs / 60 % 60;
        int s = abs % 60;
        pad(sb, h, 2, '0');
        boolean colon = std == Std.ISO8601_COLON_TZ
                || std == Std.ISO8601_COLON_SECONDS_TZ
                || std == Std.NUM_COLON_TZ
                || std == Std.NUM_COLON_SECONDS_TZ;
        if (std != Std.NUM_SHORT_TZ && std != Std.ISO8601_SHORT_TZ) {
            if (colon) {
                sb.append(':');
            }
            pad(sb, m, 2, '0');
        }
        if (std == Std.NUM_SECONDS_TZ
                || std == Std.NUM_COLON_SECONDS_TZ
                || std == Std.ISO8601_SECONDS_TZ
                || std == Std.ISO8601_COLON_SECONDS_TZ) {
            if (colon) {
                sb.append(':');
            }
            pad(sb, s, 2, '0');
        }
    }

    /** The zone abbreviation Go prints for MST; numeric like Go's tzdata when there is none. */
    private static String abbreviation(ZonedDateTime t) {
        if (t.getZone() instanceof ZoneOffset || t.getZone().getId().equals("UTC")) {
            return t.getOffset().getTotalSeconds() == 0
                    ? "UTC"
                    : numericAbbrev(t.getOffset().getTotalSeconds());
        }
        String name = java.util.TimeZone.getTimeZone(t.getZone())
                .getDisplayName(
                        t.getZone().getRules().isDaylightSavings(t.toInstant()),
                        java.util.TimeZone.SHORT,
                        Locale.ENGLISH);
        // Java's names come from CLDR; tzdata (which Go prints) has letters only for these, digits elsewhere.
        if (!TZDATA_ABBREVIATIONS.contains(name)) {
            return numericAbbrev(t.getOffset().getTotalSeconds());
        }
        return name;
    }

    private static final java.util.Set<String> TZDATA_ABBREVIATIONS = java.util.Set.of(
            "UTC", "GMT", "BST", "IST", "WET", "WEST", "CET", "CEST", "EET", "EEST", "MSK", "EST", "EDT", "CST", "CDT",
            "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "HDT", "AST", "ADT", "NST", "NDT", "SST", "ChST", "AEST",
            "AEDT", "ACST", "ACDT", "AWST", "NZST", "NZDT", "JST", "KST", "HKT", "PKT", "WIB", "WITA", "WIT", "SAST",
            "CAT", "EAT", "WAT", "IDT", "MET", "MEST", "PHT", "PHST");

    private static String numericAbbrev(int offset) {
        StringBuilder sb = new StringBuilder();
        sb.append(offset < 0 ? '-' : '+');
        int abs = Math.abs(offset);
        pad(sb, abs / 3600, 2, '0');
        if (abs / 60 % 60 != 0) {
            pad(sb, abs / 60 % 60, 2, '0');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------- parse

    private static final String[] LONG_MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };
    private static final String[] LONG_DAYS = {
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
    };

    private static final class P {
        String v;
        final String value;
        final String layout;

        P(String value, String layout) {
            this.v = value;
            this.value = value;
            this.layout = layout;
        }

        ParseError err(String elem) {
            return new ParseError("parsing time " + Strings.goQuote(value) + " as " + Strings.goQuote(layout)
                    + ": cannot parse " + Strings.goQuote(v) + " as " + Strings.goQuote(elem));
        }

        int num(boolean fixed, String elem) {
            if (v.isEmpty() || !Character.isDigit(v.charAt(0))) {
                throw err(elem);
            }
            if (v.length() < 2 || !Character.isDigit(v.charAt(1))) {
                if (fixed) {
                    throw err(elem);
                }
                int r = v.charAt(0) - '0';
                v = v.substring(1);
                return r;
            }
            int r = (v.charAt(0) - '0') * 10 + (v.charAt(1) - '0');
            v = v.substring(2);
            return r;
        }

        int lookup(String[] names, boolean shortForm, String elem) {
            for (int k = 0; k < names.length; k++) {
                String n = shortForm ? names[k].substring(0, 3) : names[k];
                if (v.length() >= n.length() && v.substring(0, n.length()).equalsIgnoreCase(n)) {
                    v = v.substring(n.length());
                    return k;
                }
            }
            throw err(elem);
        }
    }

    /** Go's time.Parse; the result is in the parsed offset (UTC when the text has none). */
    static ZonedDateTime parse(String layout, String value) {
        P p = new P(value, layout);
        List<Chunk> chunks = chunks(layout);
        int year = 0; // Go's zero Time is year 0 when the layout has no year
        int month = -1;
        int day = -1;
        int yday = -1;
        int hour = 0;
        int min = 0;
        int sec = 0;
        int nsec = 0;
        boolean pmSet = false;
        boolean amSet = false;
        Integer zoneOffset = null;
        for (int ci = 0; ci < chunks.size(); ci++) {
            Chunk ch = chunks.get(ci);
            if (ch.literal() != null) {
                String rest = skip(p.v, ch.literal());
                if (rest == null) {
                    throw new ParseError("parsing time " + Strings.goQuote(value) + " as " + Strings.goQuote(layout)
                            + ": cannot parse " + Strings.goQuote(p.v) + " as " + Strings.goQuote(ch.literal()));
                }
                p.v = rest;
                continue;
            }
            String elem = elemText(ch);
            switch (ch.std()) {
                case LONG_YEAR -> {
                    if (p.v.length() < 4 || !p.v.substring(0, 4).chars().allMatch(Character::isDigit)) {
                        throw p.err(elem);
                    }
                    year = Integer.parseInt(p.v.substring(0, 4));
                    p.v = p.v.substring(4);
                }
                case YEAR -> {
                    int y = p.num(true, elem);
                    year = y >= 69 ? 1900 + y : 2000 + y;
                }
                case LONG_MONTH -> month = p.lookup(LONG_MONTHS, false, elem) + 1;
                case MONTH -> month = p.lookup(LONG_MONTHS, true, elem) + 1;
                case NUM_MONTH, ZERO_MONTH -> {
                    month = p.num(ch.std() == Std.ZERO_MONTH, elem);
                    if (month < 1 || month > 12) {
                        throw rangeErr(value, layout, "month");
                    }
                }
                case LONG_WEEKDAY -> p.lookup(LONG_DAYS, false, elem);
                case WEEKDAY -> p.lookup(LONG_DAYS, true, elem);
                case DAY, UNDER_DAY, ZERO_DAY -> {
                    if (ch.std() == Std.UNDER_DAY && p.v.startsWith(" ")) {
                        p.v = p.v.substring(1);
                    }
                    day = p.num(ch.std() == Std.ZERO_DAY, elem);
                }
                case UNDER_YEARDAY, ZERO_YEARDAY -> {
                    if (ch.std() == Std.UNDER_YEARDAY) {
                        while (p.v.startsWith(" ")) {
                            p.v = p.v.substring(1);
                        }
                    }
                    int n = 0;
                    while (n < 3 && n < p.v.length() && Character.isDigit(p.v.charAt(n))) {
                        n++;
                    }
                    if (n == 0 || (ch.std() == Std.ZERO_YEARDAY && n != 3)) {
                        throw p.err(elem);
                    }
                    yday = Integer.parseInt(p.v.substring(0, n));
                    p.v = p.v.substring(n);
                }
                case HOUR -> {
                    hour = p.num(false, elem);
                    if (hour > 23) {
                        throw rangeErr(value, layout, "hour");
                    }
                }
                case HOUR12, ZERO_HOUR12 -> {
                    hour = p.num(ch.std() == Std.ZERO_HOUR12, elem);
                    if (hour > 12) {
                        throw rangeErr(value, layout, "hour");
                    }
                }
                case MINUTE, ZERO_MINUTE -> {
                    min = p.num(ch.std() == Std.ZERO_MINUTE, elem);
                    if (min > 59) {
                        throw rangeErr(value, layout, "minute");
                    }
                }
                case SECOND, ZERO_SECOND -> {
                    sec = p.num(ch.std() == Std.ZERO_SECOND, elem);
                    if (sec > 59) {
                        throw rangeErr(value, layout, "second");
                    }
                    // A fraction in the value is accepted even when the layout has none right here.
                    if (p.v.length() >= 2
                            && (p.v.charAt(0) == '.' || p.v.charAt(0) == ',')
                            && Character.isDigit(p.v.charAt(1))) {
                        Chunk next = ci + 1 < chunks.size() ? chunks.get(ci + 1) : null;
                        if (next == null || (next.std() != Std.FRAC0 && next.std() != Std.FRAC9)) {
                            int n = 1;
                            while (n < p.v.length() && Character.isDigit(p.v.charAt(n))) {
                                n++;
                            }
                            nsec = nanos(p.v.substring(1, n));
                            p.v = p.v.substring(n);
                        }
                    }
                }
                case PM, LOWER_PM -> {
                    if (p.v.length() < 2) {
                        throw p.err(elem);
                    }
                    String ap = p.v.substring(0, 2).toUpperCase(Locale.ROOT);
                    if (ap.equals("PM")) {
                        pmSet = true;
                    } else if (ap.equals("AM")) {
                        amSet = true;
                    } else {
                        throw p.err(elem);
                    }
                    p.v = p.v.substring(2);
                }
                case ISO8601_TZ,
                        ISO8601_SECONDS_TZ,
                        ISO8601_SHORT_TZ,
                        ISO8601_COLON_TZ,
                        ISO8601_COLON_SECONDS_TZ,
                        NUM_TZ,
                        NUM_SECONDS_TZ,
                        NUM_SHORT_TZ,
                        NUM_COLON_TZ,
                        NUM_COLON_SECONDS_TZ -> {
                    // Only the ISO forms without seconds accept "Z" for UTC.
                    boolean iso = ch.std() == Std.ISO8601_TZ
                            || ch.std() == Std.ISO8601_SHORT_TZ
                            || ch.std() == Std.ISO8601_COLON_TZ;
                    if (iso && p.v.startsWith("Z")) {
                        p.v = p.v.substring(1);
                        zoneOffset = 0;
                        break;
                    }
                    zoneOffset = parseOffset(p, ch.std(), elem);
                }
                case TZ -> {
                    if (p.v.startsWith("UTC")) {
                        p.v = p.v.substring(3);
                        zoneOffset = 0;
                        break;
                    }
                    int n = 0;
                    while (n < p.v.length() && Character.isUpperCase(p.v.charAt(n))) {
                        n++;
                    }
                    if (n < 3) {
                        throw p.err(elem);
                    }
                    String abbr = p.v.substring(0, n);
                    p.v = p.v.substring(n);
                    if (abbr.equals("GMT") && p.v.matches("^[+-]\\d{1,2}.*")) {
                        // Go accepts GMT+h but, like other abbreviations, keeps offset zero.
                        int k = 1;
                        while (k < p.v.length() && k < 3 && Character.isDigit(p.v.charAt(k))) {
                            k++;
                        }
                        p.v = p.v.substring(k);
                    }
                    zoneOffset = 0;
                }
                case FRAC0 -> {
                    int n = ch.digits();
                    if (p.v.length() < n + 1
                            || p.v.charAt(0) != ch.sep() && p.v.charAt(0) != (ch.sep() == '.' ? ',' : '.')) {
                        throw p.err(elem);
                    }
                    String digits = p.v.substring(1, n + 1);
                    if (!digits.chars().allMatch(Character::isDigit)) {
                        throw p.err(elem);
                    }
                    nsec = nanos(digits);
                    p.v = p.v.substring(n + 1);
                }
                case FRAC9 -> {
                    if (p.v.length() < 2
                            || (p.v.charAt(0) != '.' && p.v.charAt(0) != ',')
                            || !Character.isDigit(p.v.charAt(1))) {
                        break;
                    }
                    int n = 1;
                    while (n < p.v.length() && n < 10 && Character.isDigit(p.v.charAt(n))) {
                        n++;
                    }
                    nsec = nanos(p.v.substring(1, n));
                    p.v = p.v.substring(n);
                }
                default -> throw new IllegalStateException(ch.std().name());
            }
        }
        if (!p.v.isEmpty()) {
            throw new ParseError("parsing time " + Strings.goQuote(value) + ": extra text: " + Strings.goQuote(p.v));
        }
        if (pmSet && hour < 12) {
            hour += 12;
        } else if (amSet && hour == 12) {
            hour = 0;
        }
        if (yday >= 0) {
            LocalDate d;
            try {
                d = LocalDate.ofYearDay(year, yday);
            } catch (DateTimeException e) {
                throw rangeErr(value, layout, "day-of-year");
            }
            if (month >= 0 && d.getMonthValue() != month || day >= 0 && d.getDayOfMonth() != day) {
                throw rangeErr(value, layout, "day-of-year");
            }
            month = d.getMonthValue();
            day = d.getDayOfMonth();
        }
        if (month < 0) {
            month = 1;
        }
        if (day < 0) {
            day = 1;
        }
        if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            throw rangeErr(value, layout, "day");
        }
        LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, min, sec, nsec);
        ZoneOffset off = ZoneOffset.ofTotalSeconds(zoneOffset == null ? 0 : zoneOffset);
        return ZonedDateTime.of(ldt, off);
    }

    /** Go's skip: removes the literal prefix, a run of spaces in it matching any run of spaces; null on mismatch. */
    private static String skip(String value, String prefix) {
        int i = 0;
        int j = 0;
        while (j < prefix.length()) {
            if (prefix.charAt(j) == ' ') {
                if (i < value.length() && value.charAt(i) != ' ') {
                    return null;
                }
                while (j < prefix.length() && prefix.charAt(j) == ' ') {
                    j++;
                }
                while (i < value.length() && value.charAt(i) == ' ') {
                    i++;
                }
                continue;
            }
            if (i >= value.length() || value.charAt(i) != prefix.charAt(j)) {
                return null;
            }
            i++;
            j++;
        }
        return value.substring(i);
    }

    private static ParseError rangeErr(String value, String layout, String what) {
        return new ParseError("parsing time " + Strings.goQuote(value) + ": " + what + " out of range");
    }

    private static int nanos(String digits) {
        String d = digits.length() > 9 ? digits.substring(0, 9) : digits;
        StringBuilder sb = new StringBuilder(d);
        while (sb.length() < 9) {
            sb.append('0');
        }
        return Integer.parseInt(sb.toString());
    }

    private static int parseOffset(P p, Std std, String elem) {
        String v = p.v;
        if (v.isEmpty() || (v.charAt(0) != '+' && v.charAt(0) != '-')) {
            throw p.err(elem);
        }
        int sign = v.charAt(0) == '-' ? -1 : 1;
        String hh;
        String mm = "00";
        String ss = "00";
        int used;
        try {
            switch (std) {
                case NUM_SHORT_TZ, ISO8601_SHORT_TZ -> {
                    hh = v.substring(1, 3);
                    used = 3;
                }
                case NUM_COLON_TZ, ISO8601_COLON_TZ -> {
                    if (v.charAt(3) != ':') {
                        throw p.err(elem);
                    }
                    hh = v.substring(1, 3);
                    mm = v.substring(4, 6);
                    used = 6;
                }
                case NUM_COLON_SECONDS_TZ, ISO8601_COLON_SECONDS_TZ -> {
                    if (v.charAt(3) != ':' || v.charAt(6) != ':') {
                        throw p.err(elem);
                    }
                    hh = v.substring(1, 3);
                    mm = v.substring(4, 6);
                    ss = v.substring(7, 9);
                    used = 9;
                }
                case NUM_SECONDS_TZ, ISO8601_SECONDS_TZ -> {
                    hh = v.substring(1, 3);
                    mm = v.substring(3, 5);
                    ss = v.substring(5, 7);
                    used = 7;
                }
                default -> {
                    hh = v.substring(1, 3);
                    mm = v.substring(3, 5);
                    used = 5;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw p.err(elem);
        }
        if (!(hh + mm + ss).chars().allMatch(Character::isDigit)) {
            throw p.err(elem);
        }
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        int s = Integer.parseInt(ss);
        if (h > 24 || m > 60 || s > 60) {
            throw p.err(elem);
        }
        p.v = v.substring(used);
        return sign * (h * 3600 + m * 60 + s);
    }

    private static String elemText(Chunk ch) {
        return switch (ch.std()) {
            case LONG_MONTH -> "January";
            case MONTH -> "Jan";
            case NUM_MONTH -> "1";
            case ZERO_MONTH -> "01";
            case LONG_WEEKDAY -> "Monday";
            case WEEKDAY -> "Mon";
            case DAY -> "2";
            case UNDER_DAY -> "_2";
            case ZERO_DAY -> "02";
            case UNDER_YEARDAY -> "__2";
            case ZERO_YEARDAY -> "002";
            case HOUR -> "15";
            case HOUR12 -> "3";
            case ZERO_HOUR12 -> "03";
            case MINUTE -> "4";
            case ZERO_MINUTE -> "04";
            case SECOND -> "5";
            case ZERO_SECOND -> "05";
            case LONG_YEAR -> "2006";
            case YEAR -> "06";
            case PM -> "PM";
            case LOWER_PM -> "pm";
            case TZ -> "MST";
            case ISO8601_TZ -> "Z0700";
            case ISO8601_SECONDS_TZ -> "Z070000";
            case ISO8601_SHORT_TZ -> "Z07";
            case ISO8601_COLON_TZ -> "Z07:00";
            case ISO8601_COLON_SECONDS_TZ -> "Z07:00:00";
            case NUM_TZ -> "-0700";
            case NUM_SECONDS_TZ -> "-070000";
            case NUM_SHORT_TZ -> "-07";
            case NUM_COLON_TZ -> "-07:00";
            case NUM_COLON_SECONDS_TZ -> "-07:00:00";
            case FRAC0 -> ch.sep() + "0".repeat(ch.digits());
            case FRAC9 -> ch.sep() + "9".repeat(ch.digits());
        };
    }

    // ------------------------------------------------------------------------------ conversions

    static final BigInteger NS = BigInteger.valueOf(1_000_000_000L);

    /** Nanoseconds since the epoch, or null when outside int64 (Go's UnixNano range). */
    static Long unixNano(ZonedDateTime t) {
        BigInteger ns = BigInteger.valueOf(t.toEpochSecond()).multiply(NS).add(BigInteger.valueOf(t.getNano()));
        return ns.bitLength() < 64 ? ns.longValue() : null;
    }

    static ZonedDateTime fromNanos(long ns, ZoneId zone) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L))
                .atZone(zone);
    }

    /** Go's time.ParseDuration, in nanoseconds. */
    static long parseDuration(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw new ParseError("time: invalid duration " + Strings.goQuote(orig));
        }
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new ParseError("time: invalid duration " + Strings.goQuote(orig));
        }
        BigDecimal total = BigDecimal.ZERO;
        while (!s.isEmpty()) {
            int i = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            boolean pre = i > 0;
            String intPart = s.substring(0, i);
            String frac = "";
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                int j = i + 1;
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                frac = s.substring(i + 1, j);
                post = j > i + 1;
                i = j;
            }
            if (!pre && !post) {
                throw new ParseError("time: invalid duration " + Strings.goQuote(orig));
            }
            int u = i;
            while (u < s.length() && s.charAt(u) != '.' && !Character.isDigit(s.charAt(u))) {
                u++;
            }
            if (u == i) {
                throw new ParseError("time: missing unit in duration " + Strings.goQuote(orig));
            }
            String unit = s.substring(i, u);
            long mult =
                    switch (unit) {
                        case "ns" -> 1L;
                        case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                        case "ms" -> 1_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        case "h" -> 3_600_000_000_000L;
                        default -> throw new ParseError("time: unknown unit " + Strings.goQuote(unit) + " in duration "
                                + Strings.goQuote(orig));
                    };
            BigDecimal v = new BigDecimal((intPart.isEmpty() ? "0" : intPart) + (frac.isEmpty() ? "" : "." + frac));
            total = total.add(v.multiply(BigDecimal.valueOf(mult)).setScale(0, RoundingMode.DOWN));
            if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new ParseError("time: invalid duration " + Strings.goQuote(orig));
            }
            s = s.substring(u);
        }
        long r = total.longValueExact();
        return neg ? -r : r;
    }
}
