package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Go regexp (RE2) syntax compiled to java.util.regex. Syntax RE2 lacks (backreferences, lookaround,
 * possessive and atomic groups) is rejected; Go's meaning of {@code $}, {@code \s}, {@code \v}, POSIX
 * classes, {@code (?P<name>...)} and the {@code U} flag is translated. Named groups become plain
 * groups whose names are kept here, because Go names may contain '_' and Java's may not.
 */
final class Re2 {
    /** A compiled pattern and the Go names of its groups (index 1..n; null where unnamed). */
    record Compiled(Pattern pattern, List<String> groupNames) {}

    /** Syntax error with Go's wording prefix. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String msg) {
            super(msg, null, false, false);
        }
    }

    private static final Map<String, Compiled> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_MAX = 2000;

    private Re2() {}

    static Compiled compile(String re) {
        Compiled c = CACHE.get(re);
        if (c != null) {
            return c;
        }
        c = new Translator(re).run();
        if (CACHE.size() > CACHE_MAX) {
            CACHE.clear();
        }
        CACHE.put(re, c);
        return c;
    }

    static boolean isValid(String re) {
        try {
            compile(re);
            return true;
        } catch (SyntaxError e) {
            return false;
        }
    }

    /** Go's "All" iteration: at most n matches (n < 0: all), skipping empty matches that abut the previous one. */
    static List<MatchResult> findAll(BuiltinContext ctx, Compiled c, String s, int n) {
        List<MatchResult> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        Matcher m = c.pattern().matcher(new Budgeted(s, ctx));
        int prevEnd = -1;
        int pos = 0;
        while (pos <= s.length() && m.find(pos)) {
            int st = m.start();
            int en = m.end();
            if (st > 0
                    && st < s.length()
                    && Character.isLowSurrogate(s.charAt(st))
                    && Character.isHighSurrogate(s.charAt(st - 1))) {
                // Java may try positions inside a surrogate pair; Go only sees whole runes.
                pos = st + 1;
                continue;
            }
            if (st == en && st == prevEnd) {
                // Go ignores an empty match right after a match; retry one code point further on.
                if (st >= s.length()) {
                    break;
                }
                pos = st + Character.charCount(s.codePointAt(st));
                continue;
            }
            out.add(m.toMatchResult());
            if (n > 0 && out.size() >= n) {
                break;
            }
            prevEnd = en;
            if (en == st) {
                if (en >= s.length()) {
                    break;
                }
                pos = en + Character.charCount(s.codePointAt(en));
            } else {
                pos = en;
            }
        }
        return out;
    }

    static boolean find(BuiltinContext ctx, Compiled c, String s) {
        return !findAll(ctx, c, s, 1).isEmpty();
    }

    /** A string that checks the evaluation budget as a backtracking matcher reads it. */
    static final class Budgeted implements CharSequence {
        private final String s;
        private final BuiltinContext ctx;
        private int reads;

        Budgeted(String s, BuiltinContext ctx) {
            this.s = s;
            this.ctx = ctx;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (ctx != null && ++reads >= 1 << 16) {
                reads = 0;
                ctx.checkBudget();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.substring(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    /** Go's Regexp.Expand for ReplaceAllString templates: $1, $name, ${name}, $$. */
    static void expand(StringBuilder out, String template, Compiled c, MatchResult m) {
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$') {
                out.append(ch);
                i++;
                continue;
            }
            i++;
            if (i < template.length() && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            String name;
            if (i < template.length() && template.charAt(i) == '{') {
                int close = template.indexOf('}', i);
                name = close < 0 ? "" : template.substring(i + 1, close);
                if (close < 0 || name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) {
                    out.append('$');
                    continue;
                }
                i = close + 1;
            } else {
                int j = i;
                while (j < template.length()
                        && (Character.isLetterOrDigit(template.charAt(j)) && template.charAt(j) < 128
                                || template.charAt(j) == '_')) {
                    j++;
                }
                if (j == i) {
                    out.append('$');
                    continue;
                }
                name = template.substring(i, j);
                i = j;
            }
            if (name.matches("[0-9]+")) {
                int group = name.length() > 9 ? -1 : Integer.parseInt(name);
                if (group >= 0 && group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
                continue;
            }
            // Go allows repeated names; the first group of that name that took part in the match wins.
            for (int g = 1; g < c.groupNames().size() && g <= m.groupCount(); g++) {
                if (name.equals(c.groupNames().get(g)) && m.group(g) != null) {
                    out.append(m.group(g));
                    break;
                }
            }
        }
    }

    private static final class Translator {
        private final String re;
        private int i;
        private final StringBuilder out = new StringBuilder();
        private final List<String> names = new ArrayList<>();
        private boolean multiline;
        private boolean ungreedy;
        private int depth;
        /** Flags in force outside each open group; Go scopes flags to the enclosing group. */
        private final java.util.ArrayDeque<boolean[]> saved = new java.util.ArrayDeque<>();

        Translator(String re) {
            this.re = re;
            names.add(null);
        }

        private SyntaxError err(String what, String arg) {
            return new SyntaxError("error parsing regexp: " + what + ": `" + arg + "`");
        }

        Compiled run() {
            while (i < re.length()) {
                atom();
            }
            if (depth > 0) {
                throw err("missing closing )", re);
            }
            try {
                Pattern p = Pattern.compile(out.toString(), Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
                return new Compiled(p, java.util.Collections.unmodifiableList(new ArrayList<>(names)));
            } catch (PatternSyntaxException e) {
                throw new SyntaxError("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
            } catch (StackOverflowError e) {
                throw new SyntaxError("error parsing regexp: expression too large");
            }
        }

        private void atom() {
            int cp = re.codePointAt(i);
            switch (cp) {
                case '\\' -> escape(false);
                case '[' -> charClass();
                case '(' -> group();
                case ')' -> {
                    if (depth == 0) {
                        throw err("unexpected )", re);
                    }
                    depth--;
                    boolean[] outer = saved.pop();
                    multiline = outer[0];
                    ungreedy = outer[1];
                    out.append(')');
                    i++;
                    quantifier();
                }
                    // Go's ^ and $ never match around \r, and in (?m) they also match at the very end.
                case '^' -> {
                    out.append(multiline ? "(?:\\A|(?<=\\n))" : "(?:\\A)");
                    i++;
                    quantifier();
                }
                case '$' -> {
                    out.append(multiline ? "(?:\\z|(?=\\n))" : "(?:\\z)");
                    i++;
                    quantifier();
                }
                case '*', '+', '?' -> throw err("missing argument to repetition operator", String.valueOf((char) cp));
                case '{' -> {
                    if (repeatEnd(i) > 0) {
                        throw err("missing argument to repetition operator", re.substring(i, repeatEnd(i)));
                    }
                    out.append("\\{");
                    i++;
                    quantifier();
                }
                default -> {
                    if (cp == '}' || cp == ']' || cp == '&' || cp == '#' || cp == ' ') {
                        out.append('\\').appendCodePoint(cp);
                    } else {
                        out.appendCodePoint(cp);
                    }
                    i += Character.charCount(cp);
                    quantifier();
                }
            }
        }

        /** End index of a valid {n}, {n,} or {n,m} at p, or -1. */
        private int repeatEnd(int p) {
            java.util.regex.Matcher m =
                    Pattern.compile("\\{(\\d+)(,(\\d*))?\\}").matcher(re);
            m.region(p, re.length());
            if (!m.lookingAt()) {
                return -1;
            }
            return m.end();
        }

        private void quantifier() {
            boolean seen = false;
            while (i < re.length()) {
                char c = re.charAt(i);
                String q;
                if (c == '*' || c == '+' || c == '?') {
                    q = String.valueOf(c);
                } else if (c == '{' && repeatEnd(i) > 0) {
                    q = re.substring(i, repeatEnd(i));
                    java.util.regex.Matcher m =
                            Pattern.compile("\\{(\\d+)(,(\\d*))?\\}").matcher(q);
                    m.matches();
                    long lo = Long.parseLong(m.group(1).length() > 6 ? "9999999" : m.group(1));
                    long hi = m.group(3) == null || m.group(3).isEmpty()
                            ? lo
                            : Long.parseLong(m.group(3).length() > 6 ? "9999999" : m.group(3));
                    if (lo > 1000
                            || hi > 1000
                            || (m.group(3) != null && !m.group(3).isEmpty() && hi < lo)) {
                        throw err("invalid repeat count", q);
                    }
                } else {
                    return;
                }
                if (seen) {
                    throw err("invalid nested repetition operator", q);
                }
                seen = true;
                i += q.length();
                boolean lazy = i < re.length() && re.charAt(i) == '?';
                if (lazy) {
                    i++;
                }
                out.append(q);
                if (lazy != ungreedy) {
                    out.append('?');
                }
            }
        }

        private void group() {
            i++;
            if (re.startsWith("?P<", i)
                    || re.startsWith("?<", i) && !re.startsWith("?<=", i) && !re.startsWith("?<!", i)) {
                int start = i + (re.charAt(i + 1) == 'P' ? 3 : 2);
                int close = re.indexOf('>', start);
                String name = close < 0 ? "" : re.substring(start, close);
                if (close < 0 || name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) {
                    throw err("invalid named capture", re.substring(i - 1, close < 0 ? re.length() : close + 1));
                }
                names.add(name);
                out.append('(');
                i = close + 1;
                depth++;
                saved.push(new boolean[] {multiline, ungreedy});
                return;
            }
            if (re.startsWith("?", i)) {
                boolean[] outer = {multiline, ungreedy};
                int j = i + 1;
                StringBuilder flags = new StringBuilder();
                boolean neg = false;
                while (j < re.length() && re.charAt(j) != ')' && re.charAt(j) != ':') {
                    char f = re.charAt(j);
                    if (f == '-' && !neg) {
                        neg = true;
                        flags.append(f);
                    } else if (f == 'i' || f == 's') {
                        flags.append(f);
                    } else if (f == 'm') {
                        flags.append(f);
                        multiline = !neg;
                    } else if (f == 'U') {
                        ungreedy = !neg;
                    } else {
                        throw err(
                                "invalid or unsupported Perl syntax",
                                re.substring(i - 1, Math.min(re.length(), j + 1)));
                    }
                    j++;
                }
                if (j >= re.length()) {
                    throw err("missing closing )", re);
                }
                String fl = flags.toString();
                if (fl.endsWith("-")) {
                    throw err("invalid or unsupported Perl syntax", re.substring(i - 1, j + 1));
                }
                if (re.charAt(j) == ')') {
                    if (!fl.isEmpty() && !fl.equals("-")) {
                        out.append("(?").append(fl).append(')');
                    }
                    i = j + 1;
                    return;
                }
                out.append("(?").append(fl.equals("-") ? "" : fl).append(':');
                i = j + 1;
                depth++;
                saved.push(outer);
                return;
            }
            names.add(null);
            out.append('(');
            depth++;
            saved.push(new boolean[] {multiline, ungreedy});
        }

        private void charClass() {
            int start = i;
            i++;
            out.append('[');
            if (i < re.length() && re.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            boolean first = true;
            while (true) {
                if (i >= re.length()) {
                    throw err("missing closing ]", re.substring(start));
                }
                char c = re.charAt(i);
                if (c == ']' && !first) {
                    out.append(']');
                    i++;
                    quantifier();
                    return;
                }
                first = false;
                if (c == '[' && re.startsWith("[:", i)) {
                    int close = re.indexOf(":]", i + 2);
                    if (close > 0) {
                        String name = re.substring(i + 2, close);
                        boolean negate = name.startsWith("^");
                        String cls = posix(negate ? name.substring(1) : name);
                        if (cls == null) {
                            throw err("invalid character class range", re.substring(i, close + 2));
                        }
                        out.append(negate ? "\\P{" : "\\p{").append(cls).append('}');
                        i = close + 2;
                        continue;
                    }
                }
                if (c == '\\') {
                    escape(true);
                } else if (c == '[' || c == '&' || c == ']' || c == '^') {
                    out.append('\\').append(c);
                    i++;
                } else {
                    int cp = re.codePointAt(i);
                    out.appendCodePoint(cp);
                    i += Character.charCount(cp);
                }
            }
        }

        private static String posix(String name) {
            return switch (name) {
                case "alnum" -> "Alnum";
                case "alpha" -> "Alpha";
                case "ascii" -> "ASCII";
                case "blank" -> "Blank";
                case "cntrl" -> "Cntrl";
                case "digit" -> "Digit";
                case "graph" -> "Graph";
                case "lower" -> "Lower";
                case "print" -> "Print";
                case "punct" -> "Punct";
                case "space" -> "Space";
                case "upper" -> "Upper";
                case "word" -> "Alnum}_\\p{Alnum"; // [0-9A-Za-z_]: '_' joins the class between two Alnum references
                case "xdigit" -> "XDigit";
                default -> null;
            };
        }

        private void escape(boolean inClass) {
            if (i + 1 >= re.length()) {
                throw err("trailing backslash at end of expression", "");
            }
            char c = re.charAt(i + 1);
            i += 2;
            switch (c) {
                case 'd', 'D', 'w', 'W', 'n', 't', 'r', 'f' -> out.append('\\').append(c);
                case 'a' -> out.append("\\x07");
                case 'v' -> out.append("\\x0B");
                case 's' -> out.append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                    // Inside a class Java's \S differs from Go's only in treating \v as space.
                case 'S' -> out.append(inClass ? "\\S" : "[^\\t\\n\\f\\r ]");
                case 'A', 'z', 'b', 'B' -> {
                    if (inClass) {
                        throw err("invalid escape sequence", "\\" + c);
                    }
                    // Go's word boundaries are ASCII-only; Java's \b also counts other letters.
                    if (c == 'b') {
                        out.append("(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))");
                    } else if (c == 'B') {
                        out.append("(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))");
                    } else {
                        out.append("(?:\\").append(c).append(')');
                    }
                }
                case 'Q' -> {
                    int end = re.indexOf("\\E", i);
                    String lit = end < 0 ? re.substring(i) : re.substring(i, end);
                    i = end < 0 ? re.length() : end + 2;
                    lit.codePoints().forEach(cp -> literal(cp));
                }
                case 'x' -> {
                    if (i < re.length() && re.charAt(i) == '{') {
                        int close = re.indexOf('}', i);
                        String hex = close < 0 ? "" : re.substring(i + 1, close);
                        if (!hex.matches("[0-9A-Fa-f]{1,8}") || Long.parseLong(hex, 16) > 0x10FFFF) {
                            throw err(
                                    "invalid escape sequence",
                                    "\\x" + re.substring(i, close < 0 ? re.length() : close + 1));
                        }
                        out.append("\\x{").append(hex).append('}');
                        i = close + 1;
                    } else {
                        if (i + 2 > re.length() || !re.substring(i, i + 2).matches("[0-9A-Fa-f]{2}")) {
                            throw err("invalid escape sequence", "\\x" + re.substring(i, Math.min(re.length(), i + 2)));
                        }
                        out.append("\\x").append(re, i, i + 2);
                        i += 2;
                    }
                }
                case 'p', 'P' -> {
                    String name;
                    if (i < re.length() && re.charAt(i) == '{') {
                        int close = re.indexOf('}', i);
                        if (close < 0) {
                            throw err("invalid character class range", re.substring(i - 2));
                        }
                        name = re.substring(i + 1, close);
                        i = close + 1;
                    } else if (i < re.length()) {
                        name = String.valueOf(re.charAt(i));
                        i++;
                    } else {
                        throw err("invalid character class range", "\\" + c);
                    }
                    boolean neg = c == 'P';
                    if (name.startsWith("^")) {
                        neg = !neg;
                        name = name.substring(1);
                    }
                    String java;
                    if (name.equals("Any")) {
                        out.append(neg ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]");
                        return;
                    } else if (name.matches("[A-Z][a-z&]?") && !name.equals("L&")) {
                        java = name;
                    } else if (name.matches("[A-Z][A-Za-z_]+")) {
                        java = "Is" + name;
                    } else {
                        throw err("invalid character class range", "\\" + c + "{" + name + "}");
                    }
                    try {
                        Pattern.compile("\\p{" + java + "}");
                    } catch (PatternSyntaxException e) {
                        throw err("invalid character class range", "\\" + c + "{" + name + "}");
                    }
                    out.append(neg ? "\\P{" : "\\p{").append(java).append('}');
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    // Go: \1-\7 alone would be a backreference, which RE2 rejects; otherwise up to 3 octal digits.
                    if (c != '0' && (i >= re.length() || re.charAt(i) < '0' || re.charAt(i) > '7')) {
                        throw err("invalid escape sequence", "\\" + c);
                    }
                    int v = c - '0';
                    for (int k = 0; k < 2 && i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '7'; k++) {
                        v = v * 8 + (re.charAt(i) - '0');
                        i++;
                    }
                    out.append(String.format("\\x{%x}", v));
                }
                default -> {
                    if (c < 128 && !Character.isLetterOrDigit(c)) {
                        out.append('\\').append(c);
                    } else {
                        throw err("invalid escape sequence", "\\" + c);
                    }
                }
            }
            if (!inClass) {
                quantifier();
            }
        }

        private void literal(int cp) {
            if (cp < 128 && !Character.isLetterOrDigit(cp) && cp != '_') {
                out.append('\\');
            }
            out.appendCodePoint(cp);
        }
    }
}
