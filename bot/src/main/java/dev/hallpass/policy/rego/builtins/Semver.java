package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare (SemVer 2.0.0 precedence; build metadata ignored). */
final class Semver {
    private Semver() {}

    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    static void register(Reg r) {
        r.fn(
                "semver.is_valid",
                1,
                (ctx, a) -> Value.bool(a.get(0) instanceof Value.Str s
                        && SEMVER.matcher(s.value()).matches()));
        r.fn("semver.compare", 2, (ctx, a) -> {
            Matcher x = parse(a, 0);
            Matcher y = parse(a, 1);
            return Value.num(compare(x, y));
        });
    }

    private static Matcher parse(java.util.List<Value> a, int i) {
        String s = Args.str("semver.compare", a, i);
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) {
            throw BuiltinException.error(
                    "semver.compare",
                    "operand " + (i + 1) + ": string " + Strings.goQuote(s) + " is not a valid SemVer");
        }
        return m;
    }

    static int compare(Matcher x, Matcher y) {
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(x.group(g)).compareTo(new BigInteger(y.group(g)));
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        String px = x.group(4);
        String py = y.group(4);
        if (px == null || py == null) {
            return px == null ? (py == null ? 0 : 1) : -1;
        }
        String[] ix = px.split("\\.");
        String[] iy = py.split("\\.");
        for (int k = 0; k < Math.min(ix.length, iy.length); k++) {
            boolean nx = ix[k].matches("\\d+");
            boolean ny = iy[k].matches("\\d+");
            int c;
            if (nx && ny) {
                c = new BigInteger(ix[k]).compareTo(new BigInteger(iy[k]));
            } else if (nx || ny) {
                c = nx ? -1 : 1;
            } else {
                c = ix[k].compareTo(iy[k]);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.signum(Integer.compare(ix.length, iy.length));
    }
}
