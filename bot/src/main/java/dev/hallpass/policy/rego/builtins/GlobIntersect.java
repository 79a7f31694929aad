package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * regex.globs_match: whether two simplified regular expressions (literals, '.', character sets, '\'
 * escapes, each optionally followed by '*' or '+') can match a common string. Decided by exploring the
 * product of the two automata.
 */
final class GlobIntersect {
    private GlobIntersect() {}

    /** One token: a character set (ranges, possibly complemented) that repeats when star is set. */
    private record Tok(boolean any, boolean negated, List<int[]> ranges, boolean star) {
        Tok withStar() {
            return new Tok(any, negated, ranges, true);
        }
    }

    static boolean intersects(String a, String b) {
        List<Tok> x = parse(a);
        List<Tok> y = parse(b);
        Set<Long> seen = new HashSet<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, 0});
        while (!queue.isEmpty()) {
            int[] st = queue.poll();
            int i = st[0];
            int j = st[1];
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i == x.size() && j == y.size()) {
                return true;
            }
            if (i < x.size() && x.get(i).star()) {
                queue.add(new int[] {i + 1, j});
            }
            if (j < y.size() && y.get(j).star()) {
                queue.add(new int[] {i, j + 1});
            }
            if (i < x.size() && j < y.size() && overlap(x.get(i), y.get(j))) {
                queue.add(new int[] {x.get(i).star() ? i : i + 1, y.get(j).star() ? j : j + 1});
            }
        }
        return false;
    }

    private static BuiltinException invalid(String input, int pos, String what) {
        return BuiltinException.error(
                "regex.globs_match",
                "input:" + input + ", pos:" + pos + ", " + what + ": the input provided is invalid");
    }

    private static List<Tok> parse(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            Tok t;
            if (cp == '.') {
                t = new Tok(true, false, List.of(), false);
                i += n;
            } else if (cp == '\\') {
                if (i + 1 >= s.length()) {
                    throw invalid(s, i + 1, "escape '\\' at end of input");
                }
                int e = s.codePointAt(i + 1);
                t = new Tok(false, false, List.of(new int[] {e, e}), false);
                i += 1 + Character.charCount(e);
            } else if (cp == '[') {
                int start = i;
                i++;
                boolean neg = false;
                if (i < s.length() && s.charAt(i) == '^') {
                    neg = true;
                    i++;
                }
                List<int[]> ranges = new ArrayList<>();
                while (true) {
                    if (i >= s.length()) {
                        throw invalid(s, start + 1, "set-open '[' with no succeeding ']'");
                    }
                    int c = s.codePointAt(i);
                    if (c == ']') {
                        i++;
                        break;
                    }
                    if (c == '\\' && i + 1 < s.length()) {
                        i++;
                        c = s.codePointAt(i);
                    }
                    i += Character.charCount(c);
                    int hi = c;
                    if (i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
                        hi = s.codePointAt(i + 1);
                        i += 1 + Character.charCount(hi);
                        if (hi < c) {
                            throw invalid(s, i, "set range out of order");
                        }
                    }
                    ranges.add(new int[] {c, hi});
                }
                t = new Tok(false, neg, ranges, false);
            } else if (cp == ']') {
                throw invalid(s, i + 1, "set-close ']' with no preceding '['");
            } else if (cp == '*' || cp == '+') {
                throw invalid(s, i + 1, "modifier '" + (char) cp + "' with no preceding token");
            } else {
                t = new Tok(false, false, List.of(new int[] {cp, cp}), false);
                i += n;
            }
            if (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '+')) {
                char m = s.charAt(i);
                i++;
                if (m == '*') {
                    out.add(t.withStar());
                } else {
                    out.add(t);
                    out.add(t.withStar());
                }
                if (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '+')) {
                    throw invalid(s, i + 1, "modifier '" + s.charAt(i) + "' follows a modifier");
                }
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean overlap(Tok a, Tok b) {
        if (a.any() || b.any()) {
            return true;
        }
        List<int[]> ra = a.negated() ? complement(a.ranges()) : a.ranges();
        List<int[]> rb = b.negated() ? complement(b.ranges()) : b.ranges();
        for (int[] p : ra) {
            for (int[] q : rb) {
                if (p[0] <= q[1] && q[0] <= p[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<int[]> complement(List<int[]> ranges) {
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((p, q) -> Integer.compare(p[0], q[0]));
        List<int[]> out = new ArrayList<>();
        int next = 0;
        for (int[] r : sorted) {
            if (r[0] > next) {
                out.add(new int[] {next, r[0] - 1});
            }
            next = Math.max(next, r[1] + 1);
        }
        if (next <= 0x10FFFF) {
            out.add(new int[] {next, 0x10FFFF});
        }
        return out;
    }
}
