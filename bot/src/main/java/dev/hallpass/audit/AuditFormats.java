package dev.hallpass.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes audit rows as a table, JSON, CSV, Markdown or a hash-chained JSON Lines export. */
public final class AuditFormats {
    public enum Format {
        table,
        json,
        csv,
        md,
        jsonl
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SHORT = List.of(
            "request",
            "requester",
            "role",
            "environment",
            "pull_request",
            "emergency",
            "approved_by",
            "starts_at",
            "expires_at",
            "revoked_at",
            "revoked_how",
            "review_outcome",
            "reviewer",
            "findings");

    private AuditFormats() {}

    public static void write(AuditLog log, List<AuditRow> rows, Format format, Writer out) throws IOException {
        switch (format) {
            case json -> json(log, rows, out);
            case csv -> csv(rows, out);
            case md -> md(rows, out);
            case jsonl -> JsonlChain.write(rows, JsonlChain.GENESIS, out);
            default -> table(rows, out);
        }
        out.flush();
    }

    static void json(AuditLog log, List<AuditRow> rows, Writer out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("head", log.head());
        doc.put("commits", log.commits());
        doc.put("rows", rows.stream().map(AuditRow::columns).toList());
        doc.put(
                "findings",
                log.unattachedFindings().stream().map(AuditFormats::finding).toList());
        out.write(JSON.writeValueAsString(doc));
        out.write('\n');
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("code", f.code());
        m.put("commit", f.commit());
        m.put("message", f.message());
        return m;
    }

    /** RFC 4180: every field quoted when it holds a comma, quote or line break; lists joined by {@code ; }. */
    static void csv(List<AuditRow> rows, Writer out) throws IOException {
        List<String> header = rows.isEmpty()
                ? new ArrayList<>(emptyColumns())
                : new ArrayList<>(rows.get(0).columns().keySet());
        out.write(String.join(",", header.stream().map(AuditFormats::csvField).toList()));
        out.write("\r\n");
        for (AuditRow r : rows) {
            List<String> cells = new ArrayList<>();
            for (Object v : r.columns().values()) {
                cells.add(csvField(text(v, "; ")));
            }
            out.write(String.join(",", cells));
            out.write("\r\n");
        }
    }

    private static List<String> emptyColumns() {
        return List.of(
                "request",
                "requester",
                "role",
                "environment",
                "reason",
                "emergency",
                "incident",
                "pull_request",
                "decision_codes",
                "approved_by",
                "merge_commit",
                "merged_at",
                "starts_at",
                "expires_at",
                "extensions",
                "revoked_at",
                "revoked_how",
                "revert_pull_request",
                "revert_commit",
                "review_outcome",
                "reviewer",
                "reviewed_at",
                "review_overdue",
                "findings");
    }

    static String csvField(String s) {
        // A leading =, +, - or @ would run as a formula in a spreadsheet; a quote mark keeps it text.
        String t = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        if (t.contains(",") || t.contains("\"") || t.contains("\n") || t.contains("\r")) {
            return "\"" + t.replace("\"", "\"\"") + "\"";
        }
        return t;
    }

    private static String text(Object v, String sep) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?>) {
            List<String> parts = new ArrayList<>();
            ((List<?>) v).forEach(x -> parts.add(String.valueOf(x)));
            return String.join(sep, parts);
        }
        return String.valueOf(v);
    }

    static void md(List<AuditRow> rows, Writer out) throws IOException {
        out.write("| " + String.join(" | ", SHORT) + " |\n");
        out.write("|" + "---|".repeat(SHORT.size()) + "\n");
        for (AuditRow r : rows) {
            Map<String, Object> c = r.columns();
            List<String> cells = new ArrayList<>();
            for (String k : SHORT) {
                cells.add(text(c.get(k), "<br>")
                        .replace("\\", "\\\\")
                        .replace("|", "\\|")
                        .replace("\r", " ")
                        .replace("\n", " "));
            }
            out.write("| " + String.join(" | ", cells) + " |\n");
        }
    }

    static void table(List<AuditRow> rows, Writer out) throws IOException {
        List<String> cols = SHORT.subList(0, SHORT.size() - 1);
        List<List<String>> lines = new ArrayList<>();
        lines.add(new ArrayList<>(cols));
        lines.get(0).add("findings");
        for (AuditRow r : rows) {
            Map<String, Object> c = r.columns();
            List<String> cells = new ArrayList<>();
            for (String k : cols) {
                String v = text(c.get(k), ",").replaceAll("\\p{Cntrl}", " ");
                cells.add(v.isEmpty() ? "-" : v);
            }
            cells.add(Integer.toString(r.findings().size()));
            lines.add(cells);
        }
        int[] width = new int[lines.get(0).size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        for (List<String> l : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : "  ").append(l.get(i));
                if (i < l.size() - 1) {
                    sb.append(" ".repeat(width[i] - l.get(i).length()));
                }
            }
            out.write(sb.toString().stripTrailing());
            out.write('\n');
        }
        for (AuditRow r : rows) {
            for (Finding f : r.findings()) {
                out.write(r.request() + ": " + f.format() + "\n");
            }
        }
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
