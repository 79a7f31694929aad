package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.util.List;
import java.util.regex.Pattern;

/**
 * semver.is_valid and semver.compare, parsed like OPA's semver package (a go-semver fork): dotted
 * major.minor.patch as int64s, "-pre-release" and "+metadata" of dot-separated [0-9A-Za-z-]
 * identifiers. It is a little more lenient than SemVer 2.0.0 (leading zeros are accepted).
 */
final class Semver {
    private Semver() {}

    private static final Pattern IDENTIFIERS = Pattern.compile("[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*");

    /** A parsed version; build metadata is dropped because it never affects precedence. */
    record Version(long major, long minor, long patch, String preRelease) {}

    static void register(Reg r) {
        r.fn("semver.is_valid", 1, (ctx, a) -> Value.bool(a.get(0) instanceof Value.Str s && parse(s.value()) != null));
        r.fn("semver.compare", 2, (ctx, a) -> Value.num(compare(operand(a, 0), operand(a, 1))));
    }

    private static Version operand(List<Value> a, int i) {
        String s = Args.str("semver.compare", a, i);
        Version v = parse(s);
        if (v == null) {
            throw BuiltinException.error(
                    "semver.compare",
                    "operand " + (i + 1) + ": string " + Strings.goQuote(s) + " is not a valid SemVer");
        }
        return v;
    }

    static Version parse(String s) {
        String version = s;
        String metadata = "";
        int plus = version.indexOf('+');
        if (plus >= 0) {
            metadata = version.substring(plus + 1);
            version = version.substring(0, plus);
        }
        String pre = "";
        int dash = version.indexOf('-');
        if (dash >= 0) {
            pre = version.substring(dash + 1);
            version = version.substring(0, dash);
        }
        String[] parts = version.split("\\.", 3);
        if (parts.length != 3) {
            return null;
        }
        if (!pre.isEmpty() && !IDENTIFIERS.matcher(pre).matches()
                || !metadata.isEmpty() && !IDENTIFIERS.matcher(metadata).matches()) {
            return null;
        }
        long[] n = new long[3];
        for (int i = 0; i < 3; i++) {
            // strconv.ParseInt: optional sign, decimal digits, int64 range.
            if (!parts[i].matches("[+-]?[0-9]+")) {
                return null;
            }
            try {
                n[i] = Long.parseLong(parts[i].startsWith("+") ? parts[i].substring(1) : parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new Version(n[0], n[1], n[2], pre);
    }

    static int compare(Version x, Version y) {
        int c = Long.compare(x.major(), y.major());
        if (c == 0) {
            c = Long.compare(x.minor(), y.minor());
        }
        if (c == 0) {
            c = Long.compare(x.patch(), y.patch());
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        // A version without a pre-release ranks above one with.
        if (x.preRelease().isEmpty() || y.preRelease().isEmpty()) {
            return x.preRelease().isEmpty() ? (y.preRelease().isEmpty() ? 0 : 1) : -1;
        }
        String[] a = x.preRelease().split("\\.");
        String[] b = y.preRelease().split("\\.");
        for (int k = 0; k < Math.min(a.length, b.length); k++) {
            Long ai = atoi(a[k]);
            Long bi = atoi(b[k]);
            if (ai != null && bi == null) {
                return -1;
            }
            if (ai == null && bi != null) {
                return 1;
            }
            if (ai != null && !ai.equals(bi)) {
                return ai < bi ? -1 : 1;
            }
            int s = Str.compare(a[k], b[k]);
            if (s != 0) {
                return s;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static Long atoi(String s) {
        if (!s.matches("[+-]?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
    }

    /** Go compares strings byte-wise; identifiers are ASCII, so char order is the same. */
    private static final class Str {
        static int compare(String a, String b) {
            return Integer.signum(a.compareTo(b));
        }
    }
}
