package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Builtin;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** OPA's standard built-in functions, under the names the evaluator calls them by. */
public final class Builtins {
    private static final Set<String> UNSUPPORTED = new TreeSet<>();
    private static final Map<String, Builtin> STANDARD = build();

    private Builtins() {}

    /** Every built-in by name; immutable and shared. */
    public static Map<String, Builtin> standard() {
        return STANDARD;
    }

    /**
     * Built-ins that are declared (a {@code with} may mock them) but not implemented: the compiler rejects
     * a call of one with {@code rego_unsupported_builtin_error} rather than letting it be undefined.
     */
    public static Set<String> unsupported() {
        return Collections.unmodifiableSet(UNSUPPORTED);
    }

    private static Map<String, Builtin> build() {
        Reg r = new Reg();
        Numbers.register(r);
        Comparison.register(r);
        Aggregates.register(r);
        Strings.register(r);
        Sprintf.register(r);
        Regex.register(r);
        Glob.register(r);
        Types.register(r);
        Objects.register(r);
        Arrays.register(r);
        Sets.register(r);
        Encoding.register(r);
        JsonBuiltins.register(r);
        JsonSchema.register(r);
        Crypto.register(r);
        Jwt.register(r);
        Time.register(r);
        Net.register(r);
        Semver.register(r);
        Units.register(r);
        Graph.register(r);
        Bits.register(r);
        Uuid.register(r);
        Misc.register(r);
        UNSUPPORTED.addAll(r.unsupported);
        return Collections.unmodifiableMap(new LinkedHashMap<>(r.map));
    }
}
