package dev.hallpass.request;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one YAML mapping into typed values, reporting every missing, mistyped, invalid
 * and unknown field with its position and a stable code {@code <prefix>.<field>.<reason>}.
 */
final class Fields {
    private final String file;
    private final String prefix;
    private final YNode.Mapping map;
    private final Problems problems;

    private Fields(String file, String prefix, YNode.Mapping map, Problems problems) {
        this.file = file;
        this.prefix = prefix;
        this.map = map;
        this.problems = problems;
    }

    /**
     * Opens {@code node} as a mapping whose keys must be among {@code known}; every other key is reported
     * as {@code <prefix>.unknown_field}. Returns empty (after a problem) when the node is not a mapping.
     */
    static Optional<Fields> open(String file, String prefix, YNode node, Set<String> known, Problems problems) {
        if (!(node instanceof YNode.Mapping m)) {
            problems.add(file, node.pos(), prefix + ".wrong_type", "expected a mapping, got a " + node.kind());
            return Optional.empty();
        }
        for (var e : m.keyPos().entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.add(
                        file,
                        e.getValue(),
                        prefix + ".unknown_field",
                        "unknown field '" + Login.printable(e.getKey()) + "'" + suggestion(e.getKey(), known));
            }
        }
        return Optional.of(new Fields(file, prefix, m, problems));
    }

    String file() {
        return file;
    }

    Problems problems() {
        return problems;
    }

    Pos pos() {
        return map.pos();
    }

    /** Where the key was written, or the mapping's position when it is absent. */
    Pos keyPos(String key) {
        return map.keyPos().getOrDefault(key, map.pos());
    }

    /** Where the value was written, or the mapping's position when it is absent. */
    Pos valuePos(String key) {
        YNode n = map.entries().get(key);
        return n == null ? map.pos() : n.pos();
    }

    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    Map<String, Pos> positions() {
        Map<String, Pos> out = new LinkedHashMap<>();
        map.entries().forEach((k, v) -> out.put(k, v.pos()));
        return out;
    }

    Optional<YNode> node(String key, boolean required) {
        YNode n = map.entries().get(key);
        if (n == null || (n instanceof YNode.Scalar s && s.value() == null)) {
            if (required) {
                problems.add(file, map.pos(), code(key, "missing"), "missing required field '" + key + "'");
            }
            return Optional.empty();
        }
        return Optional.of(n);
    }

    Optional<String> string(String key, boolean required) {
        return node(key, required).flatMap(n -> {
            if (n instanceof YNode.Scalar s && s.value() instanceof String str) {
                return Optional.of(str);
            }
            problems.add(file, n.pos(), code(key, "wrong_type"), "'" + key + "' must be a string, got a " + n.kind());
            return Optional.empty();
        });
    }

    /** A string field converted by a value type's constructor; its refusal becomes a coded problem. */
    <T> Optional<T> value(String key, boolean required, Function<String, T> parse) {
        return string(key, required).flatMap(s -> convert(key, valuePos(key), s, parse));
    }

    <T> Optional<T> convert(String key, Pos pos, String raw, Function<String, T> parse) {
        try {
            return Optional.of(parse.apply(raw));
        } catch (InvalidValueException e) {
            problems.add(file, pos, code(key, e.reason()), e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Boolean> bool(String key) {
        return node(key, false).flatMap(n -> {
            if (n instanceof YNode.Scalar s && s.value() instanceof Boolean b) {
                return Optional.of(b);
            }
            problems.add(
                    file, n.pos(), code(key, "wrong_type"), "'" + key + "' must be true or false, got a " + n.kind());
            return Optional.empty();
        });
    }

    Optional<Integer> integer(String key, boolean required, int min, int max) {
        return node(key, required).flatMap(n -> {
            if (n instanceof YNode.Scalar s && s.value() instanceof BigDecimal d && d.scale() <= 0) {
                if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
                    problems.add(
                            file,
                            n.pos(),
                            code(key, "out_of_range"),
                            "'" + key + "' must be between " + min + " and " + max + ", got " + s.text());
                    return Optional.empty();
                }
                return Optional.of(d.intValue());
            }
            problems.add(
                    file, n.pos(), code(key, "wrong_type"), "'" + key + "' must be a whole number, got a " + n.kind());
            return Optional.empty();
        });
    }

    Optional<Instant> instant(String key, boolean required) {
        return string(key, required).flatMap(s -> {
            try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeException e) {
                problems.add(
                        file,
                        valuePos(key),
                        code(key, "invalid"),
                        "'" + Login.printable(s) + "' is not an RFC 3339 time such as 2026-11-22T01:00:00Z");
                return Optional.empty();
            }
        });
    }

    /** A list of strings, each converted; bad items are reported and skipped. */
    <T> List<T> list(String key, boolean required, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        node(key, required).ifPresent(n -> {
            if (!(n instanceof YNode.Seq seq)) {
                problems.add(file, n.pos(), code(key, "wrong_type"), "'" + key + "' must be a list, got a " + n.kind());
                return;
            }
            for (YNode item : seq.items()) {
                if (item instanceof YNode.Scalar s && s.value() instanceof String str) {
                    convert(key, item.pos(), str, parse).ifPresent(out::add);
                } else {
                    problems.add(
                            file,
                            item.pos(),
                            code(key, "wrong_type"),
                            "items of '" + key + "' must be strings, got a " + item.kind());
                }
            }
        });
        return out;
    }

    /** The entries of a nested mapping field, in document order, with their key positions. */
    Map<String, YNode> mapping(String key, boolean required) {
        Optional<YNode> n = node(key, required);
        if (n.isEmpty()) {
            return Map.of();
        }
        if (!(n.get() instanceof YNode.Mapping m)) {
            problems.add(
                    file,
                    n.get().pos(),
                    code(key, "wrong_type"),
                    "'" + key + "' must be a mapping, got a " + n.get().kind());
            return Map.of();
        }
        return m.entries();
    }

    String code(String key, String reason) {
        return prefix + "." + key + "." + reason;
    }

    void problem(Pos pos, String code, String message) {
        problems.add(file, pos, code, message);
    }

    private static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null
                ? "; known fields: " + String.join(", ", known.stream().sorted().toList())
                : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance, capped for long keys (they are never close to ours anyway). */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
