package dev.hallpass.github.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks JSON against an OpenAPI 3.0 schema: required properties, types, enums, nullable; follows $ref. */
final class OpenApiChecker {
    private final JsonNode spec;
    private final List<String> problems = new ArrayList<>();

    OpenApiChecker(JsonNode spec) {
        this.spec = spec;
    }

    /** Problems found, each prefixed with {@code path}; empty when the value conforms. */
    List<String> check(JsonNode schema, JsonNode value, String path) {
        problems.clear();
        validate(schema, value, path, 0);
        return List.copyOf(problems);
    }

    JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) {
            String[] parts = n.get("$ref").asText().substring(2).split("/");
            JsonNode t = spec;
            for (String p : parts) {
                t = t.path(p);
            }
            n = t;
        }
        return n;
    }

    private List<String> errorsOf(JsonNode schema, JsonNode value, String path, int depth) {
        List<String> saved = new ArrayList<>(problems);
        problems.clear();
        validate(schema, value, path, depth);
        List<String> errs = new ArrayList<>(problems);
        problems.clear();
        problems.addAll(saved);
        return errs;
    }

    private void validate(JsonNode schemaRef, JsonNode value, String path, int depth) {
        JsonNode schema = resolve(schemaRef);
        if (depth > 12) {
            return;
        }
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                problems.add(path + ": null but not nullable");
            }
            return;
        }
        for (JsonNode sub : schema.path("allOf")) {
            validate(sub, value, path, depth + 1);
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (schema.has(key)) {
                List<String> best = null;
                for (JsonNode sub : schema.get(key)) {
                    List<String> e = errorsOf(sub, value, path, depth + 1);
                    if (best == null || e.size() < best.size()) {
                        best = e;
                    }
                }
                if (best != null) {
                    problems.addAll(best);
                }
            }
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object":
                if (!value.isObject()) {
                    problems.add(path + ": expected object, got " + value.getNodeType());
                    return;
                }
                for (JsonNode req : schema.path("required")) {
                    if (!value.has(req.asText())) {
                        problems.add(path + ": missing required '" + req.asText() + "'");
                    }
                }
                for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                    if (value.has(p.getKey())) {
                        validate(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), depth + 1);
                    }
                }
                break;
            case "array":
                if (!value.isArray()) {
                    problems.add(path + ": expected array, got " + value.getNodeType());
                    return;
                }
                int i = 0;
                for (JsonNode item : value) {
                    validate(schema.path("items"), item, path + "[" + i++ + "]", depth + 1);
                }
                break;
            case "string":
                if (!value.isTextual()) {
                    problems.add(path + ": expected string, got " + value.getNodeType());
                } else if (schema.has("enum")) {
                    Set<String> allowed = new java.util.HashSet<>();
                    schema.get("enum").forEach(e -> allowed.add(e.asText()));
                    if (!allowed.contains(value.asText())) {
                        problems.add(path + ": '" + value.asText() + "' not in " + allowed);
                    }
                }
                break;
            case "integer":
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": expected integer, got " + value.getNodeType());
                }
                break;
            case "number":
                if (!value.isNumber()) {
                    problems.add(path + ": expected number, got " + value.getNodeType());
                }
                break;
            case "boolean":
                if (!value.isBoolean()) {
                    problems.add(path + ": expected boolean, got " + value.getNodeType());
                }
                break;
            default:
                break;
        }
    }
}
