package dev.hallpass.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Instant;

/** A grant as JSON with snake_case fields: what commands read on stdin and what the applied state stores. */
public final class GrantJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private GrantJson() {}

    public static ObjectNode toJson(Grant g) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("request_id", g.requestId().value());
        json.put("person", g.person().value());
        json.put("role", g.role().value());
        json.put("environment", g.environment().value());
        json.put("provider", g.provider().value());
        json.put("target", g.target());
        json.put("start", g.start().toString());
        json.put("expires_at", g.expiresAt().toString());
        json.put("pull_request", g.pullRequest());
        json.put("merge_commit", g.mergeCommit());
        json.put("decision", g.decision());
        return json;
    }

    /** Reads what {@link #toJson} wrote; throws IllegalArgumentException for anything else. */
    public static Grant fromJson(JsonNode json) {
        try {
            return new Grant(
                    new RequestId(text(json, "request_id")),
                    new Login(text(json, "person")),
                    new RoleName(text(json, "role")),
                    new EnvironmentName(text(json, "environment")),
                    new ProviderName(text(json, "provider")),
                    text(json, "target"),
                    Instant.parse(text(json, "start")),
                    Instant.parse(text(json, "expires_at")),
                    json.path("pull_request").asInt(0),
                    text(json, "merge_commit"),
                    text(json, "decision"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a stored grant: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return v.asText();
    }
}
