package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlChainTest {
    @TempDir
    Path dir;

    private String export() throws Exception {
        try (AuditFixture f = new AuditFixture(dir)) {
            f.grant(
                    AuditFixture.request("carol-readonly", "carol", "db-readonly", "prod-eu", "1h"),
                    AuditFixture.T0.plusSeconds(60),
                    AuditFixture.logins("dave"));
            f.grant(
                    AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h"),
                    AuditFixture.T0.plusSeconds(120),
                    List.of());
            f.grant(
                    AuditFixture.request("erin-readonly", "erin", "db-readonly", "prod-us", "1h"),
                    AuditFixture.T0.plusSeconds(180),
                    AuditFixture.logins("dave"));
            AuditLog log = f.audit(AuditFixture.T0.plus(Duration.ofHours(1)));
            StringWriter out = new StringWriter();
            AuditFormats.write(log, log.rows(), AuditFormats.Format.jsonl, out);
            return out.toString();
        }
    }

    @Test
    void verify_whenExportUntouched_chainHolds() throws Exception {
        String jsonl = export();

        JsonlChain.Check c = JsonlChain.verify(new StringReader(jsonl));

        assertTrue(c.ok(), c.problem());
        assertEquals(3, c.lines());
        String[] lines = jsonl.split("\n");
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        JsonNode second = new ObjectMapper().readTree(lines[1]);
        assertEquals(JsonlChain.GENESIS, first.get("prev_hash").asText());
        assertEquals(first.get("hash").asText(), second.get("prev_hash").asText());
        assertEquals(new ObjectMapper().readTree(lines[2]).get("hash").asText(), c.lastHash());
    }

    @Test
    void verify_whenALineIsModified_chainBreaksThere() throws Exception {
        String[] lines = export().split("\n");
        lines[1] = lines[1].replace("\"requester\":\"alice\"", "\"requester\":\"mallory\"");

        JsonlChain.Check c = JsonlChain.verify(new StringReader(String.join("\n", lines)));

        assertFalse(c.ok());
        assertEquals(2, c.lines());
        assertTrue(c.problem().contains("line 2 was changed"), c.problem());
    }

    @Test
    void verify_whenALineIsRemoved_chainBreaksThere() throws Exception {
        String[] lines = export().split("\n");

        JsonlChain.Check c = JsonlChain.verify(new StringReader(lines[0] + "\n" + lines[2] + "\n"));

        assertFalse(c.ok());
        assertTrue(c.problem().contains("line 2 does not follow"), c.problem());
    }

    @Test
    void hash_whenComputedByHand_matchesTheDocumentedRecipe() throws Exception {
        String line = export().split("\n")[0];
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode o =
                (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(line);
        String hash = o.remove("hash").asText();
        String prev = o.remove("prev_hash").asText();
        // Keys sorted, compact: what `jq -cS 'del(.hash, .prev_hash)'` prints.
        String canonical = JsonlChain.canonical(m.treeToValue(o, Object.class));

        assertTrue(canonical.startsWith("{\"approved_by\":[\"dave\"],\"decision_codes\""), canonical);
        assertEquals(
                hash,
                java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest((prev + canonical).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
}
