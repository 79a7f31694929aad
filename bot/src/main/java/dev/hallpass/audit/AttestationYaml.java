package dev.hallpass.audit;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Login;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.SourceFile;
import dev.hallpass.request.YNode;
import dev.hallpass.request.YamlReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and reads {@code audit/reviews/<request>.yaml}:
 *
 * <pre>
 * apiVersion: hallpass/v1
 * kind: RetroReview
 * request: inc-4211-orders-db
 * pull_request: 42
 * outcome: approve          # or reject
 * reviewer: bob
 * note: "Checked the session log"
 * at: 2026-11-21T10:00:00Z
 * tampered: false
 * comment: 1234567          # optional: the id of the comment it was recorded from
 * </pre>
 *
 * Reading is strict: unknown or missing fields, wrong types and a {@code request} that is not the file name
 * are problems, never exceptions.
 */
public final class AttestationYaml {
    public static final String KIND = "RetroReview";
    static final Set<String> FIELDS = Set.of(
            "apiVersion",
            "kind",
            "request",
            "pull_request",
            "outcome",
            "reviewer",
            "note",
            "at",
            "tampered",
            "comment");

    private final YamlReader yaml = new YamlReader();

    /** The file's bytes; deterministic, so the same attestation always makes the same blob. */
    public static byte[] write(Attestation a) {
        String s = "apiVersion: " + AccessRequest.API_VERSION + "\n"
                + "kind: " + KIND + "\n"
                + "request: " + a.request().value() + "\n"
                + "pull_request: " + a.pullRequest() + "\n"
                + "outcome: " + a.outcome().word() + "\n"
                + "reviewer: " + a.reviewer().value() + "\n"
                + "note: " + quote(a.note()) + "\n"
                + "at: " + Trailers.rfc3339(a.at()) + "\n"
                + "tampered: " + a.tampered() + "\n"
                + (a.comment().isPresent() ? "comment: " + a.comment().getAsLong() + "\n" : "");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // A YAML double-quoted scalar; escaping every control character keeps the note on one line.
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The attestation in {@code path}, or empty with the reasons added to {@code problems}. */
    public Optional<Attestation> read(String path, byte[] bytes, List<String> problems) {
        Problems p = new Problems();
        Optional<YNode> root = yaml.read(new SourceFile(path, bytes), YamlReader.REQUEST_MAX_BYTES, p);
        p.sorted().forEach(x -> problems.add(x.format()));
        if (root.isEmpty()) {
            return Optional.empty();
        }
        if (!(root.get() instanceof YNode.Mapping)) {
            problems.add(path + ": a review must be a mapping");
            return Optional.empty();
        }
        Map<String, YNode> m = ((YNode.Mapping) root.get()).entries();
        int before = problems.size();
        for (String k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                problems.add(path + ": unknown field '" + Trailers.printable(k) + "'");
            }
        }
        List<String> local = new ArrayList<>();
        expect(m, path, "apiVersion", AccessRequest.API_VERSION, local);
        expect(m, path, "kind", KIND, local);
        Optional<RequestId> request =
                string(m, path, "request", local).flatMap(v -> value(path, "request", local, () -> new RequestId(v)));
        Optional<Integer> pr = integer(m, path, "pull_request", local);
        Optional<Attestation.Outcome> outcome = string(m, path, "outcome", local)
                .flatMap(v -> {
                    if (v.equals("approve")) {
                        return Optional.of(Attestation.Outcome.APPROVE);
                    }
                    if (v.equals("reject")) {
                        return Optional.of(Attestation.Outcome.REJECT);
                    }
                    local.add(path + ": outcome must be approve or reject, got '" + Trailers.printable(v) + "'");
                    return Optional.empty();
                });
        Optional<Login> reviewer =
                string(m, path, "reviewer", local).flatMap(v -> value(path, "reviewer", local, () -> new Login(v)));
        Optional<String> note = string(m, path, "note", local);
        Optional<Instant> at = string(m, path, "at", local)
                .flatMap(v -> value(path, "at", local, () -> {
                    try {
                        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v, Instant::from);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("'" + Trailers.printable(v) + "' is not an RFC 3339 time");
                    }
                }));
        Optional<Boolean> tampered = bool(m, path, "tampered", local);
        java.util.OptionalLong comment = m.containsKey("comment")
                ? positiveLong(m, path, "comment", local)
                        .map(java.util.OptionalLong::of)
                        .orElse(java.util.OptionalLong.empty())
                : java.util.OptionalLong.empty();
        problems.addAll(local);
        String name = path.substring(path.lastIndexOf('/') + 1);
        request.ifPresent(r -> {
            if (!name.equals(r.value() + ".yaml")) {
                problems.add(path + ": request '" + r + "' does not match the file name");
            }
        });
        if (problems.size() != before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Attestation(
                    request.get(),
                    pr.get(),
                    outcome.get(),
                    reviewer.get(),
                    note.get(),
                    at.get(),
                    tampered.get(),
                    comment));
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private interface Maker<T> {
        T make();
    }

    private static <T> Optional<T> value(String path, String field, List<String> problems, Maker<T> maker) {
        try {
            return Optional.of(maker.make());
        } catch (IllegalArgumentException e) {
            problems.add(path + ": " + field + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<YNode.Scalar> scalar(
            Map<String, YNode> m, String path, String field, List<String> problems) {
        YNode n = m.get(field);
        if (n == null) {
            problems.add(path + ": missing field '" + field + "'");
            return Optional.empty();
        }
        if (!(n instanceof YNode.Scalar)) {
            problems.add(path + ": " + field + " must be a scalar, got a " + n.kind());
            return Optional.empty();
        }
        return Optional.of((YNode.Scalar) n);
    }

    private static Optional<String> string(Map<String, YNode> m, String path, String field, List<String> problems) {
        return scalar(m, path, field, problems).flatMap(s -> {
            if (s.value() instanceof String) {
                return Optional.of((String) s.value());
            }
            problems.add(path + ": " + field + " must be a string, got a " + s.kind());
            return Optional.empty();
        });
    }

    private static Optional<Integer> integer(Map<String, YNode> m, String path, String field, List<String> problems) {
        return scalar(m, path, field, problems).flatMap(s -> {
            if (s.value() instanceof java.math.BigDecimal) {
                java.math.BigDecimal d = (java.math.BigDecimal) s.value();
                try {
                    int v = d.intValueExact();
                    if (v > 0) {
                        return Optional.of(v);
                    }
                } catch (ArithmeticException e) {
                    // falls through to the problem below
                }
            }
            problems.add(path + ": " + field + " must be a positive integer");
            return Optional.empty();
        });
    }

    private static Optional<Long> positiveLong(Map<String, YNode> m, String path, String field, List<String> problems) {
        return scalar(m, path, field, problems).flatMap(s -> {
            if (s.value() instanceof java.math.BigDecimal d) {
                try {
                    long v = d.longValueExact();
                    if (v > 0) {
                        return Optional.of(v);
                    }
                } catch (ArithmeticException e) {
                    // falls through to the problem below
                }
            }
            problems.add(path + ": " + field + " must be a positive integer");
            return Optional.empty();
        });
    }

    private static Optional<Boolean> bool(Map<String, YNode> m, String path, String field, List<String> problems) {
        return scalar(m, path, field, problems).flatMap(s -> {
            if (s.value() instanceof Boolean) {
                return Optional.of((Boolean) s.value());
            }
            problems.add(path + ": " + field + " must be true or false");
            return Optional.empty();
        });
    }

    private static void expect(Map<String, YNode> m, String path, String field, String want, List<String> problems) {
        string(m, path, field, problems).ifPresent(v -> {
            if (!v.equals(want)) {
                problems.add(path + ": " + field + " must be " + want + ", got '" + Trailers.printable(v) + "'");
            }
        });
    }
}
