package dev.hallpass.policy.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * json.verify_schema and json.match_schema with networknt's validator (drafts 4 to 2020-12, chosen by
 * {@code $schema}, draft-07 when absent). Schemas never load anything: a remote {@code $ref} is an error.
 */
final class JsonSchema {
    private JsonSchema() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static void register(Reg r) {
        r.fn("json.verify_schema", 1, (ctx, a) -> {
            try {
                compile("json.verify_schema", a.get(0), 0);
                JsonNode n = node("json.verify_schema", a.get(0), 0);
                SpecVersion.VersionFlag version = version(n);
                Set<ValidationMessage> problems = factory(version)
                        .getSchema(com.networknt.schema.SchemaLocation.of(version.getId()))
                        .validate(n);
                if (!problems.isEmpty()) {
                    return Value.array(
                            Value.FALSE, Value.str(problems.iterator().next().getMessage()));
                }
                return Value.array(Value.TRUE, Value.NULL);
            } catch (BuiltinException e) {
                if (e.code().equals(BuiltinException.TYPE_ERROR)) {
                    throw e;
                }
                return Value.array(Value.FALSE, Value.str(e.getMessage()));
            }
        });
        r.fn("json.match_schema", 2, (ctx, a) -> {
            String name = "json.match_schema";
            JsonNode doc = node(name, a.get(0), 0);
            com.networknt.schema.JsonSchema schema = compile(name, a.get(1), 1);
            Set<ValidationMessage> msgs;
            try {
                msgs = schema.validate(doc);
            } catch (RuntimeException e) {
                throw BuiltinException.error(name, "cannot validate: " + e.getMessage());
            }
            List<Value> errors = new ArrayList<>();
            for (ValidationMessage m : msgs) {
                Map<String, Object> e = new LinkedHashMap<>();
                String field = m.getInstanceLocation() == null
                        ? ""
                        : m.getInstanceLocation().toString();
                e.put("error", m.getMessage());
                e.put("type", m.getType() == null ? "" : m.getType());
                e.put("field", field.startsWith("$.") ? field.substring(2) : field.equals("$") ? "(root)" : field);
                e.put("desc", m.getError() == null ? m.getMessage() : m.getError());
                errors.add(Value.fromJava(e));
            }
            errors.sort(null);
            return Value.array(Value.bool(errors.isEmpty()), Value.array(errors));
        });
    }

    /** A string of JSON or a value, as OPA takes both documents and schemas. */
    private static JsonNode node(String name, Value v, int i) {
        try {
            if (v instanceof Value.Str s) {
                return MAPPER.readTree(s.value());
            }
            if (v instanceof Value.Obj || v instanceof Value.Arr || v instanceof Value.Bool) {
                return MAPPER.valueToTree(v.toJava());
            }
            if (v instanceof Value.Num || v instanceof Value.Null) {
                return MAPPER.valueToTree(v.toJava());
            }
        } catch (IOException e) {
            throw BuiltinException.error(name, "operand " + (i + 1) + " is not valid JSON: " + e.getMessage());
        }
        throw BuiltinException.operand(name, i + 1, "one of {string, object}", v);
    }

    private static SpecVersion.VersionFlag version(JsonNode n) {
        return n.isObject()
                ? SpecVersionDetector.detectOptionalVersion(n, false).orElse(SpecVersion.VersionFlag.V7)
                : SpecVersion.VersionFlag.V7;
    }

    /** Meta-schemas come from the library's classpath copies; any other IRI is refused, never fetched. */
    private static JsonSchemaFactory factory(SpecVersion.VersionFlag version) {
        return JsonSchemaFactory.getInstance(
                version,
                b -> b.schemaLoaders(l -> l.add(iri -> {
                    if (!iri.toString().startsWith("classpath:")) {
                        throw new IllegalArgumentException(
                                "schema " + iri + " is not loaded: network access is refused");
                    }
                    return null;
                })));
    }

    private static com.networknt.schema.JsonSchema compile(String name, Value v, int i) {
        if (!(v instanceof Value.Str || v instanceof Value.Obj || v instanceof Value.Bool)) {
            throw BuiltinException.operand(name, i + 1, "one of {string, object, boolean}", v);
        }
        JsonNode n = node(name, v, i);
        try {
            com.networknt.schema.JsonSchema s = factory(version(n)).getSchema(n);
            s.initializeValidators();
            return s;
        } catch (RuntimeException e) {
            throw BuiltinException.error(name, "invalid JSON schema: " + e.getMessage());
        }
    }
}
