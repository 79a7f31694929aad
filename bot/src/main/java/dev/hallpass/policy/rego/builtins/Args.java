package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Operand checks with OPA's error wording; positions are 0-based here and 1-based in messages. */
final class Args {
    private Args() {}

    static BuiltinException typeErr(String fn, int i, String expected, Value got) {
        return BuiltinException.operand(fn, i + 1, expected, got);
    }

    static BuiltinException typeErr(String fn, String detail) {
        return new BuiltinException(BuiltinException.TYPE_ERROR, fn + ": " + detail);
    }

    static String str(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.Str s) {
            return s.value();
        }
        throw typeErr(fn, i, "string", v);
    }

    static Value.Num numV(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.Num n) {
            return n;
        }
        throw typeErr(fn, i, "number", v);
    }

    static BigDecimal num(String fn, List<Value> a, int i) {
        return numV(fn, a, i).value();
    }

    /** Integers with more digits than this are refused: expanding 1e100000000 would exhaust memory. */
    static final int MAX_INT_DIGITS = 100_000;

    /** An integer operand; OPA's wording for a fraction is "integer number but got floating-point number". */
    static BigInteger integer(String fn, List<Value> a, int i) {
        Value.Num n = numV(fn, a, i);
        if (!n.isInteger()) {
            throw typeErr(fn, "operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        return bigInt(fn, n);
    }

    /** The integer value of n, which must be an integer, guarded against absurd sizes. */
    static BigInteger bigInt(String fn, Value.Num n) {
        if (intDigits(n.value()) > MAX_INT_DIGITS) {
            throw BuiltinException.error(fn, "number too large");
        }
        return n.bigInteger();
    }

    /** Digits before the decimal point (at least 1). */
    static long intDigits(BigDecimal d) {
        return Math.max(1L, (long) d.precision() - d.scale());
    }

    /** An integer operand that must fit an int (sizes, counts, offsets). */
    static int intArg(String fn, List<Value> a, int i) {
        BigInteger b = integer(fn, a, i);
        if (b.bitLength() > 31) {
            return b.signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        return b.intValue();
    }

    static Value.Arr arr(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.Arr x) {
            return x;
        }
        throw typeErr(fn, i, "array", v);
    }

    static Value.Obj obj(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.Obj x) {
            return x;
        }
        throw typeErr(fn, i, "object", v);
    }

    static Value.SetV set(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.SetV x) {
            return x;
        }
        throw typeErr(fn, i, "set", v);
    }

    /** Elements of an array or set operand. */
    static Collection<Value> collection(String fn, List<Value> a, int i, String expected) {
        Value v = a.get(i);
        if (v instanceof Value.Arr x) {
            return x.items();
        }
        if (v instanceof Value.SetV x) {
            return x.items();
        }
        throw typeErr(fn, i, expected, v);
    }

    static List<String> strings(String fn, Collection<Value> items, int i, String expected) {
        List<String> out = new ArrayList<>(items.size());
        for (Value x : items) {
            if (!(x instanceof Value.Str s)) {
                throw typeErr(fn, i, expected, x);
            }
            out.add(s.value());
        }
        return out;
    }

    static Value.Str s(String s) {
        return Value.str(s);
    }

    static Value.Num n(long v) {
        return Value.num(v);
    }

    static Value.Num n(BigInteger v) {
        return Value.num(v);
    }

    static Value.Bool b(boolean v) {
        return Value.bool(v);
    }

    static int cpLen(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Decodes bytes as Go would read them into a string of runes: each invalid byte is one U+FFFD. */
    static String goString(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int need;
            int cp;
            int min;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            } else if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                cp = c & 0x1f;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                cp = c & 0x0f;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            if (i + need >= b.length) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
