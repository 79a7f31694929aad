package dev.hallpass.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Base data given once to the embedded engine, and large input members reused by identity only. */
class EmbeddedRegoEngineDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String POLICY =
            """
            package t
            max_from_data := data.catalog.roles[input.role].max
            max_from_input := input.catalog.roles[input.role].max
            """;

    private static ObjectNode catalog(int roles, int max) {
        ObjectNode c = JSON.createObjectNode();
        ObjectNode r = c.putObject("roles");
        for (int i = 0; i < roles; i++) {
            r.putObject("role" + i).put("max", max);
        }
        return c;
    }

    private static JsonNode value(PolicyResult r) {
        return assertInstanceOf(PolicyResult.Defined.class, r).value();
    }

    @Test
    void withData_whenCatalogGivenAsBaseData_policiesReadItUnderData() throws Exception {
        EmbeddedRegoEngine engine = EmbeddedRegoEngine.compile(Map.of("t.rego", POLICY))
                .withData(JSON.createObjectNode().set("catalog", catalog(1000, 4)));

        PolicyResult r = engine.evaluate("t/max_from_data", JSON.readTree("{\"role\": \"role999\"}"));

        assertEquals(4, value(r).asInt());
    }

    @Test
    void evaluate_whenLargeInputMemberChangesContent_seesTheNewContent() throws Exception {
        EmbeddedRegoEngine engine = EmbeddedRegoEngine.compile(Map.of("t.rego", POLICY));
        ObjectNode shared = catalog(1000, 4);
        ObjectNode in1 = JSON.createObjectNode().put("role", "role7");
        in1.set("catalog", shared);
        ObjectNode in2 = JSON.createObjectNode().put("role", "role7");
        in2.set("catalog", catalog(1000, 9));

        assertEquals(4, value(engine.evaluate("t/max_from_input", in1)).asInt());
        assertEquals(9, value(engine.evaluate("t/max_from_input", in2)).asInt());
        assertEquals(4, value(engine.evaluate("t/max_from_input", in1)).asInt());
    }
}
