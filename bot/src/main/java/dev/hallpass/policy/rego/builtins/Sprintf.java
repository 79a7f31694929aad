package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * sprintf with Go's fmt verbs. As in OPA, integers are passed as Go ints (or big.Int), other numbers as
 * float64, strings as strings, and every other value as its Rego text.
 */
final class Sprintf {
    private Sprintf() {}

    static void register(Reg r) {
        r.fn("sprintf", 2, (ctx, a) -> {
            String format = Args.str("sprintf", a, 0);
            Value.Arr args = Args.arr("sprintf", a, 1);
            List<Object> goArgs = new ArrayList<>(args.size());
            for (Value v : args) {
                goArgs.add(toGo(v));
            }
            return Value.str(format(format, goArgs));
        });
    }

    static Object toGo(Value v) {
        if (v instanceof Value.Num n) {
            if (n.isInteger() && Args.intDigits(n.value()) <= Args.MAX_INT_DIGITS) {
                BigInteger i = n.bigInteger();
                return i.bitLength() < 64 ? (Object) i.longValue() : i;
            }
            return n.value().doubleValue();
        }
        if (v instanceof Value.Str s) {
            return s.value();
        }
        return RegoText.of(v);
    }

    private static final class Spec {
        boolean minus;
        boolean plus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int prec = -1;
    }

    static String format(String f, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        boolean reordered = false;
        int i = 0;
        int n = f.length();
        while (i < n) {
            char c = f.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            Spec sp = new Spec();
            flags:
            while (i < n) {
                switch (f.charAt(i)) {
                    case '-' -> sp.minus = true;
                    case '+' -> sp.plus = true;
                    case '#' -> sp.sharp = true;
                    case ' ' -> sp.space = true;
                    case '0' -> sp.zero = true;
                    default -> {
                        break flags;
                    }
                }
                i++;
            }
            // An explicit argument index such as %[2]d.
            if (i < n && f.charAt(i) == '[') {
                int close = f.indexOf(']', i);
                String idx = close < 0 ? "" : f.substring(i + 1, close);
                if (idx.matches("[1-9][0-9]{0,5}")) {
                    argi = Integer.parseInt(idx) - 1;
                    reordered = true;
                    i = close + 1;
                } else {
                    out.append("%!(BADINDEX)");
                    i = close < 0 ? n : close + 1;
                    continue;
                }
            }
            if (i < n && f.charAt(i) == '*') {
                i++;
                if (argi < args.size() && args.get(argi) instanceof Long w) {
                    sp.width = (int) Math.abs(w);
                    sp.minus |= w < 0;
                    argi++;
                } else {
                    out.append("%!(BADWIDTH)");
                    argi++;
                }
            } else {
                int start = i;
                while (i < n && Character.isDigit(f.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    sp.width = Integer.parseInt(f.substring(start, Math.min(i, start + 6)));
                }
            }
            if (i < n && f.charAt(i) == '.') {
                i++;
                if (i < n && f.charAt(i) == '*') {
                    i++;
                    if (argi < args.size() && args.get(argi) instanceof Long p && p >= 0) {
                        sp.prec = (int) (long) p;
                    } else {
                        out.append("%!(BADPREC)");
                    }
                    argi++;
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(f.charAt(i))) {
                        i++;
                    }
                    sp.prec = i > start ? Integer.parseInt(f.substring(start, Math.min(i, start + 6))) : 0;
                }
            }
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            int verb = f.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argi >= args.size()) {
                out.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(argi++);
            out.append(one(sp, verb, arg));
        }
        if (!reordered && argi < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                if (k > argi) {
                    out.append(", ");
                }
                Object arg = args.get(k);
                out.append(goType(arg)).append('=').append(one(new Spec(), 'v', arg));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String goType(Object arg) {
        if (arg instanceof Long) {
            return "int";
        }
        if (arg instanceof BigInteger) {
            return "*big.Int";
        }
        if (arg instanceof Double) {
            return "float64";
        }
        return "string";
    }

    private static String bad(int verb, Object arg) {
        return "%!" + new String(Character.toChars(verb)) + "(" + goType(arg) + "=" + one(new Spec(), 'v', arg) + ")";
    }

    private static String one(Spec sp, int verb, Object arg) {
        if (verb == 'T') {
            return pad(sp, goType(arg), false);
        }
        if (arg instanceof String s) {
            return switch (verb) {
                case 'v', 's' -> pad(sp, sp.prec >= 0 ? truncate(s, sp.prec) : s, false);
                case 'q' -> pad(sp, quote(sp, sp.prec >= 0 ? truncate(s, sp.prec) : s), false);
                case 'x', 'X' -> pad(sp, hexBytes(s, verb == 'X', sp), false);
                default -> bad(verb, arg);
            };
        }
        if (arg instanceof Long || arg instanceof BigInteger) {
            BigInteger v = arg instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) arg;
            switch (verb) {
                case 'v', 'd':
                    return integer(sp, v, 10, "", false);
                case 's':
                    return arg instanceof BigInteger ? integer(sp, v, 10, "", false) : bad(verb, arg);
                case 'b':
                    return integer(sp, v, 2, sp.sharp ? "0b" : "", false);
                case 'o':
                    return integer(sp, v, 8, sp.sharp && v.signum() != 0 ? "0" : "", false);
                case 'O':
                    return integer(sp, v, 8, "0o", false);
                case 'x':
                    return integer(sp, v, 16, sp.sharp ? "0x" : "", false);
                case 'X':
                    return integer(sp, v, 16, sp.sharp ? "0X" : "", true);
                case 'c':
                    return arg instanceof Long ? pad(sp, runeString(v), false) : bad(verb, arg);
                case 'q':
                    if (arg instanceof Long) {
                        StringBuilder sb = new StringBuilder("'");
                        Strings.appendQuotedRune(sb, validRune(v), '\'');
                        return pad(sp, sb.append('\'').toString(), false);
                    }
                    return bad(verb, arg);
                case 'U':
                    if (arg instanceof Long) {
                        String hex = v.toString(16).toUpperCase(java.util.Locale.ROOT);
                        while (hex.length() < Math.max(4, sp.prec)) {
                            hex = "0" + hex;
                        }
                        return pad(sp, "U+" + hex, false);
                    }
                    return bad(verb, arg);
                case 'e', 'E', 'f', 'F', 'g', 'G':
                    return arg instanceof BigInteger ? floating(sp, verb, v.doubleValue()) : bad(verb, arg);
                default:
                    return bad(verb, arg);
            }
        }
        double d = (Double) arg;
        return switch (verb) {
            case 'v', 'e', 'E', 'f', 'F', 'g', 'G' -> floating(sp, verb, d);
            default -> bad(verb, arg);
        };
    }

    /** %q: %#q prefers a raw `string`, %+q escapes everything outside ASCII. */
    private static String quote(Spec sp, String s) {
        if (sp.sharp
                && s.indexOf('`') < 0
                && s.indexOf('\uFEFF') < 0
                && s.codePoints().allMatch(c -> c == '\t' || Strings.isPrint(c))) {
            return "`" + s + "`";
        }
        if (!sp.plus) {
            return Strings.goQuote(s);
        }
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c < 0x80) {
                Strings.appendQuotedRune(sb, c, '"');
            } else if (c < 0x10000) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append(String.format("\\U%08x", c));
            }
        });
        return sb.append('"').toString();
    }

    private static int validRune(BigInteger v) {
        long l = v.longValue();
        return l < 0 || l > 0x10ffff || (l >= 0xd800 && l <= 0xdfff) ? 0xfffd : (int) l;
    }

    private static String runeString(BigInteger v) {
        return new String(Character.toChars(validRune(v)));
    }

    private static String truncate(String s, int prec) {
        int n = Args.cpLen(s);
        return prec >= n ? s : s.substring(0, s.offsetByCodePoints(0, prec));
    }

    private static String hexBytes(String s, boolean upper, Spec sp) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int limit = sp.prec >= 0 ? Math.min(sp.prec, bytes.length) : bytes.length;
        for (int k = 0; k < limit; k++) {
            if (sp.space && k > 0) {
                sb.append(' ');
            }
            if (sp.sharp && (sp.space || k == 0)) {
                sb.append(upper ? "0X" : "0x");
            }
            sb.append(String.format(upper ? "%02X" : "%02x", bytes[k] & 0xff));
        }
        return sb.toString();
    }

    private static String integer(Spec sp, BigInteger v, int radix, String prefix, boolean upper) {
        String digits = v.abs().toString(radix);
        if (upper) {
            digits = digits.toUpperCase(java.util.Locale.ROOT);
        }
        if (sp.prec >= 0) {
            if (sp.prec == 0 && v.signum() == 0) {
                digits = "";
            }
            while (digits.length() < sp.prec) {
                digits = "0" + digits;
            }
        }
        String sign = v.signum() < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "";
        return padNumber(sp, sign, prefix + digits, sp.prec < 0);
    }

    /** Pads with zeros after the sign when the 0 flag applies, else with spaces. */
    private static String padNumber(Spec sp, String sign, String body, boolean zeroAllowed) {
        int len = sign.length() + Args.cpLen(body);
        if (sp.width > len && sp.zero && !sp.minus && zeroAllowed) {
            return sign + "0".repeat(sp.width - len) + body;
        }
        Spec plain = new Spec();
        plain.width = sp.width;
        plain.minus = sp.minus;
        return pad(plain, sign + body, false);
    }

    private static String pad(Spec sp, String s, boolean ignored) {
        int len = Args.cpLen(s);
        if (sp.width <= len) {
            return s;
        }
        String fill = (sp.zero && !sp.minus ? "0" : " ").repeat(sp.width - len);
        return sp.minus ? s + fill : fill + s;
    }

    private static String floating(Spec sp, int verb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            String s = Double.isNaN(d) ? "NaN" : d > 0 ? (sp.plus ? "+Inf" : "Inf") : "-Inf";
            Spec plain = new Spec();
            plain.width = sp.width;
            plain.minus = sp.minus;
            return pad(plain, s, false);
        }
        boolean neg = d < 0 || (d == 0 && 1 / d < 0);
        BigDecimal x = new BigDecimal(Math.abs(d));
        String body;
        switch (verb) {
            case 'f', 'F' -> body = x.setScale(sp.prec < 0 ? 6 : sp.prec, RoundingMode.HALF_EVEN)
                    .toPlainString();
            case 'e', 'E' -> body = exp(x, sp.prec < 0 ? 6 : sp.prec, verb == 'E');
            default -> body = general(x, Math.abs(d), sp.sharp && sp.prec < 0 ? 6 : sp.prec, verb == 'G', sp.sharp);
        }
        if (sp.sharp && !body.contains(".") && (verb == 'f' || verb == 'F' || verb == 'e' || verb == 'E')) {
            int e = body.indexOf(verb == 'E' ? 'E' : 'e');
            body = e < 0 ? body + "." : body.substring(0, e) + "." + body.substring(e);
        }
        String sign = neg ? "-" : sp.plus ? "+" : sp.space ? " " : "";
        return padNumber(sp, sign, body, true);
    }

    /** d.ddde±XX with at least two exponent digits, from the exact value rounded half-even. */
    private static String exp(BigDecimal x, int prec, boolean upper) {
        String digits;
        int e;
        if (x.signum() == 0) {
            digits = "0".repeat(prec + 1);
            e = 0;
        } else {
            BigDecimal r = x.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
            digits = r.unscaledValue().toString();
            e = r.precision() - r.scale() - 1;
            while (digits.length() < prec + 1) {
                digits = digits + "0";
            }
            digits = digits.substring(0, prec + 1);
        }
        return mantissa(digits) + expSuffix(e, upper);
    }

    private static String mantissa(String digits) {
        return digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    }

    private static String expSuffix(int e, boolean upper) {
        String es = Integer.toString(Math.abs(e));
        return (upper ? "E" : "e") + (e < 0 ? "-" : "+") + (es.length() < 2 ? "0" + es : es);
    }

    /** %g / %v: shortest digits when no precision is given, Go's exponent thresholds. */
    private static String general(BigDecimal exact, double d, int prec, boolean upper, boolean sharp) {
        String digits;
        int dp; // decimal point position: value = 0.digits * 10^dp
        int eprec;
        if (d == 0) {
            digits = "0";
            dp = 1;
        } else if (prec < 0) {
            BigDecimal s = Numbers.shortest(d).stripTrailingZeros();
            digits = s.unscaledValue().toString();
            dp = s.precision() - s.scale();
        } else {
            int p = prec == 0 ? 1 : prec;
            BigDecimal s =
                    exact.round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
            digits = s.unscaledValue().toString();
            dp = s.precision() - s.scale();
        }
        if (prec < 0) {
            eprec = 6;
        } else {
            eprec = prec == 0 ? 1 : prec;
            if (eprec > digits.length() && digits.length() >= dp) {
                eprec = digits.length();
            }
        }
        if (sharp && prec >= 0) {
            // %#g keeps trailing zeros up to the precision and always shows a decimal point.
            int want = prec == 0 ? 1 : prec;
            while (digits.length() < want) {
                digits = digits + "0";
            }
            int e = dp - 1;
            if (e < -4 || e >= want) {
                return digits.charAt(0) + "." + digits.substring(1) + expSuffix(e, upper);
            }
            if (dp <= 0) {
                return "0." + "0".repeat(-dp) + digits;
            }
            if (dp >= digits.length()) {
                return digits + "0".repeat(dp - digits.length()) + ".";
            }
            return digits.substring(0, dp) + "." + digits.substring(dp);
        }
        int e = dp - 1;
        if (e < -4 || e >= eprec) {
            return mantissa(digits) + expSuffix(e, upper);
        }
        if (dp <= 0) {
            return "0." + "0".repeat(-dp) + digits;
        }
        if (dp >= digits.length()) {
            return digits + "0".repeat(dp - digits.length());
        }
        return digits.substring(0, dp) + "." + digits.substring(dp);
    }
}
