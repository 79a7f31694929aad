package dev.hallpass.policy.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** json.match_schema / json.verify_schema and crypto.x509.* return values, never undefined. */
class BuiltinSchemaX509Test {

    private static Value eval(String module, String ref, Map<String, Object> input) {
        return RegoCompiler.compile("t.rego", module)
                .evalRef(ref, Value.fromJava(input), null)
                .orElse(null);
    }

    @Test
    void matchSchema_whenDocumentViolatesSchema_isFalseWithErrors() {
        String m =
                """
                package t
                schema := {"type": "object", "required": ["role"], "properties": {"hours": {"type": "integer", "maximum": 8}}}
                deny if {
                    [ok, _] := json.match_schema(input, schema)
                    not ok
                }
                errors := e if [_, e] := json.match_schema(input, schema)
                """;
        assertEquals(Value.fromJava(true), eval(m, "data.t.deny", Map.of("hours", 12)));
        Value.Arr errors = (Value.Arr) eval(m, "data.t.errors", Map.of("hours", 12));
        assertEquals(2, errors.size(), errors.toString());
        assertEquals(null, eval(m, "data.t.deny", Map.of("role", "db", "hours", 2)));
    }

    @Test
    void verifySchema_whenSchemaInvalid_isFalseWithMessage() {
        String m =
                """
                package t
                good := json.verify_schema(`{"type": "string"}`)
                bad := json.verify_schema(`{"type": 12}`)
                """;
        assertEquals(Value.fromJava(java.util.Arrays.asList(true, null)), eval(m, "data.t.good", Map.of()));
        Value.Arr bad = (Value.Arr) eval(m, "data.t.bad", Map.of());
        assertEquals(Value.fromJava(false), bad.get(0));
    }

    @Test
    void parseRsaPrivateKey_whenPkcs8Pem_givesJwkThatSigns() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder()
                        .encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String pub = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder()
                        .encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String m =
                """
                package t
                ok if {
                    jwk := crypto.x509.parse_rsa_private_key(input.pem)
                    t := io.jwt.encode_sign({"alg": "RS256"}, {"sub": "a"}, jwk)
                    io.jwt.verify_rs256(t, input.pub)
                }
                """;
        assertEquals(Value.fromJava(true), eval(m, "data.t.ok", Map.of("pem", pem, "pub", pub)));
    }

    @Test
    void parseCertificates_whenGarbage_isAnErrorNotASilentMatch() {
        String m = "package t\ndefault n := -1\nn := count(crypto.x509.parse_certificates(input.c))";
        assertEquals(Value.fromJava(-1), eval(m, "data.t.n", Map.of("c", "bm90IGEgY2VydA==")));
        assertTrue(Builtins.standard().containsKey("crypto.x509.parse_and_verify_certificates"));
    }
}
