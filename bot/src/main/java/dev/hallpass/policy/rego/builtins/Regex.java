package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;

/** regex.* built-ins with Go regexp semantics (see {@link Re2}). */
final class Regex {
    private Regex() {}

    static void register(Reg r) {
        r.fn(
                "regex.match",
                2,
                (ctx, a) -> Value.bool(
                        Re2.find(ctx, compile("regex.match", str("regex.match", a, 0)), str("regex.match", a, 1))));
        r.fn(
                "re_match",
                2,
                (ctx, a) ->
                        Value.bool(Re2.find(ctx, compile("re_match", str("re_match", a, 0)), str("re_match", a, 1))));
        r.fn("regex.is_valid", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Str s && Re2.isValid(s.value())));
        r.fn("regex.find_n", 3, (ctx, a) -> {
            Re2.Compiled c = compile("regex.find_n", str("regex.find_n", a, 0));
            String s = str("regex.find_n", a, 1);
            int n = Args.intArg("regex.find_n", a, 2);
            List<Value> out = new ArrayList<>();
            for (MatchResult m : Re2.findAll(ctx, c, s, n)) {
                out.add(Value.str(m.group()));
            }
            return Value.array(out);
        });
        r.fn("regex.find_all_string_submatch_n", 3, (ctx, a) -> {
            String fn = "regex.find_all_string_submatch_n";
            Re2.Compiled c = compile(fn, str(fn, a, 0));
            String s = str(fn, a, 1);
            int n = Args.intArg(fn, a, 2);
            List<Value> out = new ArrayList<>();
            for (MatchResult m : Re2.findAll(ctx, c, s, n)) {
                List<Value> groups = new ArrayList<>();
                for (int g = 0; g <= m.groupCount(); g++) {
                    String x = m.group(g);
                    groups.add(Value.str(x == null ? "" : x));
                }
                out.add(Value.array(groups));
            }
            return Value.array(out);
        });
        r.fn("regex.split", 2, (ctx, a) -> {
            Re2.Compiled c = compile("regex.split", str("regex.split", a, 0));
            String s = str("regex.split", a, 1);
            List<String> parts = new ArrayList<>();
            if (s.isEmpty()) {
                return Strings.strArray(List.of(""));
            }
            int beg = 0;
            int end = 0;
            for (MatchResult m : Re2.findAll(ctx, c, s, -1)) {
                end = m.start();
                if (m.end() != 0) {
                    parts.add(s.substring(beg, end));
                }
                beg = m.end();
            }
            if (end != s.length()) {
                parts.add(s.substring(beg));
            }
            return Strings.strArray(parts);
        });
        r.fn("regex.replace", 3, (ctx, a) -> {
            String s = str("regex.replace", a, 0);
            Re2.Compiled c = compile("regex.replace", str("regex.replace", a, 1));
            String repl = str("regex.replace", a, 2);
            StringBuilder sb = new StringBuilder();
            int last = 0;
            for (MatchResult m : Re2.findAll(ctx, c, s, -1)) {
                sb.append(s, last, m.start());
                Re2.expand(sb, repl, c, m);
                last = m.end();
            }
            sb.append(s.substring(last));
            return Value.str(sb.toString());
        });
        r.fn("regex.template_match", 4, (ctx, a) -> {
            String fn = "regex.template_match";
            String template = str(fn, a, 0);
            String s = str(fn, a, 1);
            String open = str(fn, a, 2);
            String close = str(fn, a, 3);
            return Value.bool(Re2.find(ctx, compile(fn, templateRegex(fn, template, open, close)), s));
        });
        r.fn(
                "regex.globs_match",
                2,
                (ctx, a) -> Value.bool(
                        GlobIntersect.intersects(str("regex.globs_match", a, 0), str("regex.globs_match", a, 1))));
    }

    static Re2.Compiled compile(String fn, String re) {
        try {
            return Re2.compile(re);
        } catch (Re2.SyntaxError e) {
            throw BuiltinException.error(fn, e.getMessage());
        }
    }

    /** Literal text quoted, delimited parts used as regular expressions, anchored at both ends. */
    static String templateRegex(String fn, String template, String open, String close) {
        if (open.isEmpty() || close.isEmpty()) {
            throw BuiltinException.error(fn, "delimiters must not be empty");
        }
        int o = open.codePointAt(0);
        int c = close.codePointAt(0);
        StringBuilder out = new StringBuilder("^");
        StringBuilder lit = new StringBuilder();
        int level = 0;
        int start = 0;
        for (int i = 0; i < template.length(); ) {
            int cp = template.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == o) {
                if (level == 0) {
                    out.append(quoteMeta(lit.toString()));
                    lit.setLength(0);
                    start = i + n;
                }
                level++;
            } else if (cp == c) {
                level--;
                if (level == 0) {
                    out.append('(').append(template, start, i).append(')');
                } else if (level < 0) {
                    throw BuiltinException.error(fn, "unbalanced braces in " + Strings.goQuote(template));
                }
            } else if (level == 0) {
                lit.appendCodePoint(cp);
            }
            i += n;
        }
        if (level != 0) {
            throw BuiltinException.error(fn, "unbalanced braces in " + Strings.goQuote(template));
        }
        out.append(quoteMeta(lit.toString())).append('$');
        return out.toString();
    }

    /** Go's regexp.QuoteMeta. */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
