package dev.hallpass.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SIEM export: one JSON object per line, each with {@code prev_hash} and {@code hash}, where
 *
 * <pre>
 * hash = lowercase hex SHA-256 of UTF-8 (prev_hash + canonical(record without hash and prev_hash))
 * </pre>
 *
 * and {@code canonical} is compact JSON with object keys sorted, as {@code jq -cS} prints it. The first
 * line's {@code prev_hash} is {@link #GENESIS} (64 zeros). Removing, reordering or editing any line breaks
 * every hash after it. Verify with {@code hallpass audit verify-chain FILE}, or in a shell:
 *
 * <pre>
 * prev=0000000000000000000000000000000000000000000000000000000000000000
 * while IFS= read -r line; do
 *   [ "$(jq -r .prev_hash &lt;&lt;&lt;"$line")" = "$prev" ] || { echo "broken link"; break; }
 *   h=$(printf '%s%s' "$prev" "$(jq -cS 'del(.hash, .prev_hash)' &lt;&lt;&lt;"$line")" | sha256sum | cut -d' ' -f1)
 *   [ "$h" = "$(jq -r .hash &lt;&lt;&lt;"$line")" ] || { echo "bad hash"; break; }
 *   prev=$h
 * done &lt; audit.jsonl
 * </pre>
 *
 * The last hash is what to keep elsewhere (a ticket, the SIEM): it pins the whole export.
 */
public final class JsonlChain {
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private JsonlChain() {}

    /** Writes the rows chained from {@code prevHash}; returns the last hash. */
    public static String write(List<AuditRow> rows, String prevHash, Writer out) throws IOException {
        String prev = prevHash;
        for (AuditRow r : rows) {
            Map<String, Object> record = new TreeMap<>(r.columns());
            String hash = hash(prev, canonical(record));
            record.put("prev_hash", prev);
            record.put("hash", hash);
            out.write(canonical(record));
            out.write('\n');
            prev = hash;
        }
        return prev;
    }

    static String canonical(Object o) throws JsonProcessingException {
        return CANONICAL.writeValueAsString(o);
    }

    static String hash(String prev, String canonical) {
        return HexFormat.of().formatHex(DecisionStamp.sha256((prev + canonical).getBytes(StandardCharsets.UTF_8)));
    }

    /** The outcome of checking a chain: {@code ok}, the number of lines, the last hash, or where it broke. */
    public record Check(boolean ok, int lines, String lastHash, String problem) {}

    /** Checks every line of an export chained from {@link #GENESIS}. */
    public static Check verify(Reader in) throws IOException {
        BufferedReader r = new BufferedReader(in);
        String prev = GENESIS;
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            n++;
            JsonNode node;
            try {
                node = CANONICAL.readTree(line);
            } catch (JsonProcessingException e) {
                return new Check(false, n, prev, "line " + n + " is not JSON");
            }
            if (!(node instanceof ObjectNode)
                    || !node.path("hash").isTextual()
                    || !node.path("prev_hash").isTextual()) {
                return new Check(false, n, prev, "line " + n + " has no hash or prev_hash");
            }
            ObjectNode o = (ObjectNode) node;
            String hash = o.remove("hash").asText();
            String linked = o.remove("prev_hash").asText();
            if (!linked.equals(prev)) {
                return new Check(
                        false, n, prev, "line " + n + " does not follow the line before it (prev_hash differs)");
            }
            Object plain = CANONICAL.treeToValue(o, Object.class);
            if (!hash(prev, canonical(plain)).equals(hash)) {
                return new Check(false, n, prev, "line " + n + " was changed (its hash does not match its content)");
            }
            prev = hash;
        }
        return new Check(true, n, prev, "");
    }
}
