package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/** time.* built-ins: nanosecond integers since the Unix epoch, Go layouts, IANA zones. */
final class Time {
    private Time() {}

    static void register(Reg r) {
        r.fn("time.now_ns", 0, (ctx, a) -> Value.num(ctx.nowNs()));
        r.fn("time.parse_ns", 2, (ctx, a) -> {
            String layout = GoTime.layout(str("time.parse_ns", a, 0));
            return parsed("time.parse_ns", layout, str("time.parse_ns", a, 1));
        });
        r.fn(
                "time.parse_rfc3339_ns",
                1,
                (ctx, a) -> parsed(
                        "time.parse_rfc3339_ns", GoTime.NAMED.get("RFC3339"), str("time.parse_rfc3339_ns", a, 0)));
        r.fn("time.parse_duration_ns", 1, (ctx, a) -> {
            try {
                return Value.num(GoTime.parseDuration(str("time.parse_duration_ns", a, 0)));
            } catch (GoTime.ParseError e) {
                throw BuiltinException.error("time.parse_duration_ns", e.getMessage());
            }
        });
        r.fn("time.date", 1, (ctx, a) -> {
            ZonedDateTime t = zoned("time.date", a.get(0));
            return Value.array(Value.num(t.getYear()), Value.num(t.getMonthValue()), Value.num(t.getDayOfMonth()));
        });
        r.fn("time.clock", 1, (ctx, a) -> {
            ZonedDateTime t = zoned("time.clock", a.get(0));
            return Value.array(Value.num(t.getHour()), Value.num(t.getMinute()), Value.num(t.getSecond()));
        });
        r.fn(
                "time.weekday",
                1,
                (ctx, a) -> Value.str(
                        zoned("time.weekday", a.get(0)).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)));
        r.fn("time.add_date", 4, (ctx, a) -> {
            String fn = "time.add_date";
            ZonedDateTime t = GoTime.fromNanos(nanos(fn, Args.numV(fn, a, 0)), ZoneOffset.UTC);
            java.math.BigInteger years = Args.integer(fn, a, 1);
            java.math.BigInteger months = Args.integer(fn, a, 2);
            java.math.BigInteger days = Args.integer(fn, a, 3);
            ZonedDateTime out;
            try {
                out = addDate(t, years.longValueExact(), months.longValueExact(), days.longValueExact());
            } catch (DateTimeException | ArithmeticException e) {
                throw BuiltinException.error(fn, "time outside of valid range");
            }
            Long ns = GoTime.unixNano(out);
            if (ns == null) {
                throw BuiltinException.error(fn, "time outside of valid range");
            }
            return Value.num(ns);
        });
        r.fn("time.diff", 2, (ctx, a) -> diff(zoned("time.diff", a.get(0)), zoned("time.diff", a.get(1))));
        r.fn("time.format", 1, (ctx, a) -> {
            Value x = a.get(0);
            String layout = GoTime.NAMED.get("RFC3339Nano");
            if (x instanceof Value.Arr arr && arr.size() == 3) {
                if (!(arr.get(2) instanceof Value.Str l)) {
                    throw Args.typeErr("time.format", "operand 1 layout must be a string");
                }
                layout = GoTime.layout(l.value());
                x = Value.array(arr.get(0), arr.get(1));
            }
            return Value.str(GoTime.format(zoned("time.format", x), layout));
        });
    }

    private static Value parsed(String fn, String layout, String value) {
        ZonedDateTime t;
        try {
            t = GoTime.parse(layout, value);
        } catch (GoTime.ParseError e) {
            throw BuiltinException.error(fn, e.getMessage());
        } catch (DateTimeException e) {
            throw BuiltinException.error(fn, "parsing time " + Strings.goQuote(value) + ": " + e.getMessage());
        }
        Long ns = GoTime.unixNano(t);
        if (ns == null) {
            throw BuiltinException.error(fn, "time outside of valid range");
        }
        return Value.num(ns);
    }

    /** An exact int64 of nanoseconds; OPA says "timestamp too big" otherwise. */
    static long nanos(String fn, Value.Num n) {
        if (!n.isInteger() || Args.intDigits(n.value()) > 20 || n.bigInteger().bitLength() >= 64) {
            throw BuiltinException.error(fn, "timestamp too big");
        }
        return n.bigInteger().longValue();
    }

    /** A number (UTC) or [ns, zone]. */
    static ZonedDateTime zoned(String fn, Value v) {
        if (v instanceof Value.Num n) {
            return GoTime.fromNanos(nanos(fn, n), ZoneOffset.UTC);
        }
        if (v instanceof Value.Arr arr) {
            if (arr.size() != 2) {
                throw BuiltinException.error(fn, "array should have 2 elements");
            }
            if (!(arr.get(0) instanceof Value.Num n)) {
                throw Args.typeErr(
                        fn,
                        "operand 1 must be array of [number, string] but got array containing "
                                + arr.get(0).typeName());
            }
            if (!(arr.get(1) instanceof Value.Str tz)) {
                throw Args.typeErr(
                        fn,
                        "operand 1 must be array of [number, string] but got array containing "
                                + arr.get(1).typeName());
            }
            return GoTime.fromNanos(nanos(fn, n), zone(fn, tz.value()));
        }
        throw Args.typeErr(fn, 0, "one of {number, array}", v);
    }

    static ZoneId zone(String fn, String tz) {
        if (tz.isEmpty() || tz.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (tz.equals("Local")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw BuiltinException.error(fn, "unknown time zone " + tz);
        }
    }

    /** Go's AddDate: months and days overflow into the next unit instead of clamping. */
    static ZonedDateTime addDate(ZonedDateTime t, long years, long months, long days) {
        long y = Math.addExact(t.getYear(), years);
        long m0 = Math.addExact(t.getMonthValue() - 1L, months);
        y = Math.addExact(y, Math.floorDiv(m0, 12));
        int m = Math.floorMod(m0, 12) + 1;
        LocalDate d = LocalDate.of(Math.toIntExact(y), m, 1).plusDays(Math.addExact(t.getDayOfMonth() - 1L, days));
        return ZonedDateTime.of(LocalDateTime.of(d, t.toLocalTime()), t.getZone());
    }

    /** OPA's time.diff (after icza/gox): calendar difference in the first time's zone. */
    private static Value diff(ZonedDateTime t1, ZonedDateTime t2) {
        t2 = t2.withZoneSameInstant(t1.getZone());
        if (t1.isAfter(t2)) {
            ZonedDateTime tmp = t1;
            t1 = t2;
            t2 = tmp;
        }
        int year = t2.getYear() - t1.getYear();
        int month = t2.getMonthValue() - t1.getMonthValue();
        int day = t2.getDayOfMonth() - t1.getDayOfMonth();
        int hour = t2.getHour() - t1.getHour();
        int min = t2.getMinute() - t1.getMinute();
        int sec = t2.getSecond() - t1.getSecond();
        if (sec < 0) {
            sec += 60;
            min--;
        }
        if (min < 0) {
            min += 60;
            hour--;
        }
        if (hour < 0) {
            hour += 24;
            day--;
        }
        if (day < 0) {
            // Days in t1's month: Go normalises day 32 into the next month.
            LocalDate d32 = LocalDate.of(t1.getYear(), t1.getMonthValue(), 1).plusDays(31);
            day += 32 - d32.getDayOfMonth();
            month--;
        }
        if (month < 0) {
            month += 12;
            year--;
        }
        return Value.array(List.of(
                Value.num(year), Value.num(month), Value.num(day), Value.num(hour), Value.num(min), Value.num(sec)));
    }
}
