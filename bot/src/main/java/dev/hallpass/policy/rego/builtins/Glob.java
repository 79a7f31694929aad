package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** glob.match with gobwas/glob semantics (compiled to a java.util.regex pattern) and glob.quote_meta. */
final class Glob {
    private Glob() {}

    private static final Map<List<Object>, Pattern> CACHE = new ConcurrentHashMap<>();

    static void register(Reg r) {
        r.fn("glob.match", 3, (ctx, a) -> {
            String pattern = str("glob.match", a, 0);
            List<Integer> delims = delimiters(a.get(1));
            String s = str("glob.match", a, 2);
            List<Object> key = List.of(pattern, delims);
            Pattern p = CACHE.get(key);
            if (p == null) {
                p = Pattern.compile(toRegex(pattern, delims), Pattern.DOTALL);
                if (CACHE.size() > 2000) {
                    CACHE.clear();
                }
                CACHE.put(key, p);
            }
            return Value.bool(p.matcher(new Re2.Budgeted(s, ctx)).matches());
        });
        r.fn("glob.quote_meta", 1, (ctx, a) -> {
            String s = str("glob.quote_meta", a, 0);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if ("*?\\[]{}".indexOf(c) >= 0) {
                    sb.append('\\');
                }
                sb.append(c);
            }
            return Value.str(sb.toString());
        });
    }

    /** null means no delimiters; an empty array means OPA's default ["."]. */
    private static List<Integer> delimiters(Value v) {
        if (v instanceof Value.Null) {
            return List.of();
        }
        if (!(v instanceof Value.Arr arr)) {
            throw Args.typeErr("glob.match", 1, "one of {null, array}", v);
        }
        List<Integer> out = new ArrayList<>();
        for (Value x : arr) {
            if (!(x instanceof Value.Str s)) {
                throw Args.typeErr(
                        "glob.match", "operand 2 must be array of strings but got array containing " + x.typeName());
            }
            if (!s.value().isEmpty()) {
                out.add(s.value().codePointAt(0));
            }
        }
        return out.isEmpty() ? List.of((int) '.') : out;
    }

    static String toRegex(String glob, List<Integer> delims) {
        StringBuilder notSep = new StringBuilder();
        if (delims.isEmpty()) {
            notSep.append(".");
        } else {
            notSep.append("[^");
            for (int d : delims) {
                notSep.append("\\x{").append(Integer.toHexString(d)).append('}');
            }
            notSep.append(']');
        }
        Parser p = new Parser(glob, notSep.toString());
        String re = p.sequence(false);
        if (p.i < glob.length()) {
            throw BuiltinException.error("glob.match", "unexpected " + glob.charAt(p.i) + " in pattern " + glob);
        }
        return re;
    }

    private static final class Parser {
        final String g;
        final String notSep;
        int i;

        Parser(String g, String notSep) {
            this.g = g;
            this.notSep = notSep;
        }

        /** Parses until the end, or (inside braces) until ',' or '}'. */
        String sequence(boolean inTerms) {
            StringBuilder out = new StringBuilder();
            while (i < g.length()) {
                char c = g.charAt(i);
                if (inTerms && (c == ',' || c == '}')) {
                    break;
                }
                switch (c) {
                    case '*' -> {
                        if (g.startsWith("**", i)) {
                            out.append(".*");
                            i += 2;
                        } else {
                            out.append(notSep).append('*');
                            i++;
                        }
                    }
                    case '?' -> {
                        out.append(notSep);
                        i++;
                    }
                    case '[' -> out.append(range());
                    case '{' -> {
                        i++;
                        List<String> alts = new ArrayList<>();
                        while (true) {
                            alts.add(sequence(true));
                            if (i >= g.length()) {
                                throw BuiltinException.error(
                                        "glob.match", "unexpected end of input: unclosed '{' in " + g);
                            }
                            char d = g.charAt(i++);
                            if (d == '}') {
                                break;
                            }
                        }
                        out.append("(?:").append(String.join("|", alts)).append(')');
                    }
                    case '\\' -> {
                        if (i + 1 >= g.length()) {
                            throw BuiltinException.error("glob.match", "unexpected end of input after escape in " + g);
                        }
                        int cp = g.codePointAt(i + 1);
                        out.append(lit(cp));
                        i += 1 + Character.charCount(cp);
                    }
                    default -> {
                        int cp = g.codePointAt(i);
                        out.append(lit(cp));
                        i += Character.charCount(cp);
                    }
                }
            }
            return out.toString();
        }

        private String range() {
            int start = i;
            i++;
            StringBuilder out = new StringBuilder("[");
            if (i < g.length() && g.charAt(i) == '!') {
                out.append('^');
                i++;
            }
            boolean any = false;
            while (i < g.length() && g.charAt(i) != ']') {
                int cp = g.codePointAt(i);
                if (cp == '\\' && i + 1 < g.length()) {
                    i++;
                    cp = g.codePointAt(i);
                }
                i += Character.charCount(cp);
                out.append(lit(cp));
                if (i + 1 < g.length() && g.charAt(i) == '-' && g.charAt(i + 1) != ']') {
                    int hi = g.codePointAt(i + 1);
                    i += 1 + Character.charCount(hi);
                    if (hi < cp) {
                        throw BuiltinException.error(
                                "glob.match",
                                "hi character '" + new String(Character.toChars(hi)) + "' should be greater than lo '"
                                        + new String(Character.toChars(cp)) + "'");
                    }
                    out.append('-').append(lit(hi));
                }
                any = true;
            }
            if (i >= g.length() || !any) {
                throw BuiltinException.error(
                        "glob.match", "unexpected end of input: unclosed '[' in " + g.substring(start));
            }
            i++;
            return out.append(']').toString();
        }

        private static String lit(int cp) {
            return "\\x{" + Integer.toHexString(cp) + "}";
        }
    }
}
