package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** String built-ins. Indexes and lengths count code points, as Go counts runes. */
final class Strings {
    private Strings() {}

    static void register(Reg r) {
        r.fn("concat", 2, (ctx, a) -> {
            String sep = str("concat", a, 0);
            Collection<Value> items = Args.collection("concat", a, 1, "one of {set, array}");
            return Value.str(String.join(sep, stringElems("concat", items, 1, a.get(1))));
        });
        r.fn("contains", 2, (ctx, a) -> Value.bool(str("contains", a, 0).contains(str("contains", a, 1))));
        r.fn("startswith", 2, (ctx, a) -> Value.bool(str("startswith", a, 0).startsWith(str("startswith", a, 1))));
        r.fn("endswith", 2, (ctx, a) -> Value.bool(str("endswith", a, 0).endsWith(str("endswith", a, 1))));
        // Go maps each rune on its own (ß stays ß); String.toUpperCase would apply special casing.
        r.fn("lower", 1, (ctx, a) -> Value.str(mapRunes(str("lower", a, 0), Character::toLowerCase)));
        r.fn("upper", 1, (ctx, a) -> Value.str(mapRunes(str("upper", a, 0), Character::toUpperCase)));
        r.fn("format_int", 2, (ctx, a) -> {
            java.math.BigDecimal d = Args.num("format_int", a, 0);
            Value.Num base = Args.numV("format_int", a, 1);
            Integer b = base.intValueExact();
            if (b == null || (b != 2 && b != 8 && b != 10 && b != 16)) {
                throw Args.typeErr("format_int", "operand 2 must be one of {2, 8, 10, 16}");
            }
            if (Args.intDigits(d) > Args.MAX_INT_DIGITS) {
                throw BuiltinException.error("format_int", "number too large");
            }
            BigInteger i = d.setScale(0, RoundingMode.DOWN).toBigInteger();
            return Value.str(i.toString(b));
        });
        r.fn("indexof", 2, (ctx, a) -> {
            String s = str("indexof", a, 0);
            int i = s.indexOf(str("indexof", a, 1));
            return Value.num(i < 0 ? -1 : s.codePointCount(0, i));
        });
        r.fn("indexof_n", 2, (ctx, a) -> {
            String s = str("indexof_n", a, 0);
            String sub = str("indexof_n", a, 1);
            List<Value> out = new ArrayList<>();
            int from = 0;
            while (from <= s.length()) {
                int i = s.indexOf(sub, from);
                if (i < 0) {
                    break;
                }
                out.add(Value.num(s.codePointCount(0, i)));
                from = i + Math.max(1, Character.charCount(i < s.length() ? s.codePointAt(i) : 'a'));
            }
            return Value.array(out);
        });
        r.fn("split", 2, (ctx, a) -> strArray(split(str("split", a, 0), str("split", a, 1))));
        r.fn("strings.split_n", 3, (ctx, a) -> {
            List<String> parts = split(str("strings.split_n", a, 0), str("strings.split_n", a, 1));
            int n = Args.intArg("strings.split_n", a, 2);
            if (n >= 0) {
                return strArray(parts.subList(0, Math.min(n, parts.size())));
            }
            long k = Math.min(-(long) n, parts.size());
            return strArray(parts.subList(parts.size() - (int) k, parts.size()));
        });
        r.fn(
                "replace",
                3,
                (ctx, a) -> Value.str(replaceAll(str("replace", a, 0), str("replace", a, 1), str("replace", a, 2))));
        r.fn("strings.replace_n", 2, (ctx, a) -> replaceN(a));
        r.fn("substring", 3, (ctx, a) -> {
            String s = str("substring", a, 0);
            int off = Args.intArg("substring", a, 1);
            int len = Args.intArg("substring", a, 2);
            if (off < 0) {
                throw BuiltinException.error("substring", "negative offset");
            }
            int n = Args.cpLen(s);
            if (off >= n) {
                return Value.str("");
            }
            int end = len < 0 || (long) off + len > n ? n : off + len;
            return Value.str(s.substring(s.offsetByCodePoints(0, off), s.offsetByCodePoints(0, end)));
        });
        r.fn("trim", 2, (ctx, a) -> {
            String cut = str("trim", a, 1);
            return Value.str(trimRight(trimLeft(str("trim", a, 0), cut), cut));
        });
        r.fn("trim_left", 2, (ctx, a) -> Value.str(trimLeft(str("trim_left", a, 0), str("trim_left", a, 1))));
        r.fn("trim_right", 2, (ctx, a) -> Value.str(trimRight(str("trim_right", a, 0), str("trim_right", a, 1))));
        r.fn("trim_prefix", 2, (ctx, a) -> {
            String s = str("trim_prefix", a, 0);
            String p = str("trim_prefix", a, 1);
            return Value.str(s.startsWith(p) ? s.substring(p.length()) : s);
        });
        r.fn("trim_suffix", 2, (ctx, a) -> {
            String s = str("trim_suffix", a, 0);
            String p = str("trim_suffix", a, 1);
            return Value.str(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
        });
        r.fn("trim_space", 1, (ctx, a) -> Value.str(trimSpace(str("trim_space", a, 0))));
        r.fn("strings.count", 2, (ctx, a) -> {
            String s = str("strings.count", a, 0);
            String sub = str("strings.count", a, 1);
            if (sub.isEmpty()) {
                return Value.num(Args.cpLen(s) + 1L);
            }
            int count = 0;
            for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                count++;
            }
            return Value.num(count);
        });
        r.fn("strings.reverse", 1, (ctx, a) -> {
            int[] cps = str("strings.reverse", a, 0).codePoints().toArray();
            StringBuilder sb = new StringBuilder();
            for (int i = cps.length - 1; i >= 0; i--) {
                sb.appendCodePoint(cps[i]);
            }
            return Value.str(sb.toString());
        });
        r.fn("strings.any_prefix_match", 2, (ctx, a) -> anyMatch("strings.any_prefix_match", a, true));
        r.fn("strings.any_suffix_match", 2, (ctx, a) -> anyMatch("strings.any_suffix_match", a, false));
        r.unsupported("strings.render_template", 2);
    }

    static String mapRunes(String s, java.util.function.IntUnaryOperator f) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(f.applyAsInt(cp)));
        return sb.toString();
    }

    static Value.Arr strArray(List<String> parts) {
        List<Value> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            out.add(Value.str(p));
        }
        return Value.array(out);
    }

    /** Go's strings.Split: an empty separator splits into code points. */
    static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        while (true) {
            int i = s.indexOf(sep, from);
            if (i < 0) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
    }

    /** Go's strings.ReplaceAll: an empty old string matches before every code point and at the end. */
    static String replaceAll(String s, String old, String rep) {
        if (!old.isEmpty()) {
            return s.replace(old, rep);
        }
        StringBuilder sb = new StringBuilder(rep);
        s.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(rep));
        return sb.toString();
    }

    private static Value replaceN(List<Value> a) {
        String fn = "strings.replace_n";
        Value.Obj patterns = Args.obj(fn, a, 0);
        String s = str(fn, a, 1);
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<Value, Value> e : patterns.entries().entrySet()) {
            if (!(e.getKey() instanceof Value.Str k)) {
                throw Args.typeErr(fn, "operand 1 non-string key found in pattern object");
            }
            if (!(e.getValue() instanceof Value.Str v)) {
                throw Args.typeErr(fn, "operand 1 non-string value found in pattern object");
            }
            pairs.add(new String[] {k.value(), v.value()});
        }
        // Go's strings.NewReplacer: at each position the first pattern (in key order) that matches wins.
        StringBuilder sb = new StringBuilder();
        int i = 0;
        outer:
        while (i <= s.length()) {
            for (String[] p : pairs) {
                if (s.startsWith(p[0], i)) {
                    sb.append(p[1]);
                    if (p[0].isEmpty()) {
                        if (i < s.length()) {
                            int cp = s.codePointAt(i);
                            sb.appendCodePoint(cp);
                            i += Character.charCount(cp);
                        } else {
                            i++;
                        }
                    } else {
                        i += p[0].length();
                    }
                    continue outer;
                }
            }
            if (i < s.length()) {
                sb.append(s.charAt(i));
            }
            i++;
        }
        return Value.str(sb.toString());
    }

    static String trimLeft(String s, String cutset) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cutset.indexOf(cp) < 0) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    static String trimRight(String s, String cutset) {
        int j = s.length();
        while (j > 0) {
            int cp = s.codePointBefore(j);
            if (cutset.indexOf(cp) < 0) {
                break;
            }
            j -= Character.charCount(cp);
        }
        return s.substring(0, j);
    }

    /** Go's unicode.IsSpace. */
    static boolean isSpace(int cp) {
        switch (cp) {
            case '\t', '\n', 0x0b, '\f', '\r', ' ', 0x85, 0xa0:
                return true;
            default:
                return cp > 0xff && Character.isSpaceChar(cp);
        }
    }

    static String trimSpace(String s) {
        int i = 0;
        int j = s.length();
        while (i < j && isSpace(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        while (j > i && isSpace(s.codePointBefore(j))) {
            j -= Character.charCount(s.codePointBefore(j));
        }
        return s.substring(i, j);
    }

    private static List<String> stringElems(String fn, Collection<Value> items, int i, Value container) {
        List<String> out = new ArrayList<>(items.size());
        for (Value x : items) {
            if (!(x instanceof Value.Str s)) {
                throw Args.typeErr(
                        fn,
                        "operand " + (i + 1) + " must be " + container.typeName() + " of strings but got "
                                + container.typeName() + " containing " + x.typeName());
            }
            out.add(s.value());
        }
        return out;
    }

    private static List<String> stringOrCollection(String fn, List<Value> a, int i) {
        Value v = a.get(i);
        if (v instanceof Value.Str s) {
            return List.of(s.value());
        }
        if (v instanceof Value.Arr || v instanceof Value.SetV) {
            Collection<Value> items = v instanceof Value.Arr x ? x.items() : ((Value.SetV) v).items();
            return stringElems(fn, items, i, v);
        }
        throw Args.typeErr(fn, i, "one of {string, set, array}", v);
    }

    private static Value anyMatch(String fn, List<Value> a, boolean prefix) {
        List<String> search = stringOrCollection(fn, a, 0);
        List<String> bases = stringOrCollection(fn, a, 1);
        for (String s : search) {
            for (String b : bases) {
                if (prefix ? s.startsWith(b) : s.endsWith(b)) {
                    return Value.TRUE;
                }
            }
        }
        return Value.FALSE;
    }

    /** Go's strconv.Quote. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> appendQuotedRune(sb, cp, '"'));
        return sb.append('"').toString();
    }

    static void appendQuotedRune(StringBuilder sb, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0b -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
