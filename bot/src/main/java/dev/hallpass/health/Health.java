package dev.hallpass.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code /readyz} reports: named checks that components register (the state database, the work queue,
 * each repository's expiry scheduler, GitHub). Ready when every check passes; a check that throws fails.
 */
public final class Health {
    /** One check's answer; {@code detail} says why, for the operator reading /readyz. */
    public record Check(boolean ok, String detail) {
        public Check {
            Objects.requireNonNull(detail, "detail");
        }

        public static Check ok(String detail) {
            return new Check(true, detail);
        }

        public static Check failing(String detail) {
            return new Check(false, detail);
        }
    }

    /** Every check's answer at one moment. */
    public record Report(boolean ready, Map<String, Check> checks) {
        public Report {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }
    }

    private final Map<String, Supplier<Check>> checks = new LinkedHashMap<>();

    /** Adds (or replaces) the check {@code name}; it must answer quickly and never block for long. */
    public synchronized Health register(String name, Supplier<Check> check) {
        checks.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    public Report report() {
        Map<String, Supplier<Check>> copy;
        synchronized (this) {
            copy = new LinkedHashMap<>(checks);
        }
        Map<String, Check> out = new LinkedHashMap<>();
        boolean ready = true;
        for (var e : copy.entrySet()) {
            Check c;
            try {
                c = Objects.requireNonNull(e.getValue().get(), "no answer");
            } catch (RuntimeException ex) {
                c = Check.failing("check failed: " + ex);
            }
            out.put(e.getKey(), c);
            ready &= c.ok();
        }
        return new Report(ready, out);
    }
}
