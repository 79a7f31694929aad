package dev.hallpass.policy.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.PolicySet;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.policy.rego.Value;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** io.jwt.* against keys and tokens made with the JDK: a bad signature is false, never undefined. */
class BuiltinJwtTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static final String DENY_POLICY =
            """
            package t
            default deny := false
            deny if io.jwt.verify_rs256(input.token, input.key) == false
            """;

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String token(String alg, String jdkAlg, KeyPair kp, String payload) throws Exception {
        String input =
                B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8)) + "."
                        + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance(jdkAlg);
        s.initSign(kp.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    private static String pem(KeyPair kp) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String jwk(RSAPublicKey k, String kid) {
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"n\":\"" + B64.encodeToString(unsigned(k.getModulus()))
                + "\",\"e\":\"" + B64.encodeToString(unsigned(k.getPublicExponent())) + "\"}";
    }

    private static byte[] unsigned(BigInteger b) {
        byte[] x = b.toByteArray();
        return x[0] == 0 ? java.util.Arrays.copyOfRange(x, 1, x.length) : x;
    }

    private static Value eval(String module, String query, Map<String, Object> input) {
        PolicySet ps = RegoCompiler.compile("t.rego", module);
        return ps.evalRef(query, Value.fromJava(input), null).orElse(null);
    }

    @Test
    void verifyRs256_whenTokenBadlySigned_denyRuleFires() throws Exception {
        KeyPair signer = rsa();
        KeyPair other = rsa();
        String token = token("RS256", "SHA256withRSA", other, "{\"sub\":\"alice\"}");

        Value deny = eval(DENY_POLICY, "data.t.deny", Map.of("token", token, "key", pem(signer)));

        assertEquals(Value.fromJava(true), deny);
    }

    @Test
    void verifyRs256_whenSignedByTheKey_isTrueForPemAndJwkAndJwks() throws Exception {
        KeyPair kp = rsa();
        String token = token("RS256", "SHA256withRSA", kp, "{\"sub\":\"alice\"}");
        String jwk = jwk((RSAPublicKey) kp.getPublic(), "k1");
        String m = "package t\nok := io.jwt.verify_rs256(input.token, input.key)";

        assertEquals(Value.fromJava(true), eval(m, "data.t.ok", Map.of("token", token, "key", pem(kp))));
        assertEquals(Value.fromJava(true), eval(m, "data.t.ok", Map.of("token", token, "key", jwk)));
        assertEquals(
                Value.fromJava(true),
                eval(
                        m,
                        "data.t.ok",
                        Map.of(
                                "token",
                                token,
                                "key",
                                "{\"keys\":[" + jwk((RSAPublicKey) rsa().getPublic(), "k0") + "," + jwk + "]}")));
        assertEquals(
                Value.fromJava(false),
                eval(
                        DENY_POLICY.replace("deny if", "x if") + "",
                        "data.t.deny",
                        Map.of("token", token, "key", pem(kp))));
    }

    @Test
    void verifyPsAndEs_whenSignedByTheKey_areTrueAndTamperedPayloadFalse() throws Exception {
        KeyPair kp = rsa();
        String in = B64.encodeToString("{\"alg\":\"PS256\"}".getBytes(StandardCharsets.UTF_8)) + ".e30";
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new java.security.spec.PSSParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        s.initSign(kp.getPrivate());
        s.update(in.getBytes(StandardCharsets.US_ASCII));
        String ps = in + "." + B64.encodeToString(s.sign());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        String es = token("ES256", "SHA256withECDSAinP1363Format", ec, "{\"a\":1}");
        ECPublicKey ek = (ECPublicKey) ec.getPublic();
        String ecJwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                + B64.encodeToString(pad(ek.getW().getAffineX())) + "\",\"y\":\""
                + B64.encodeToString(pad(ek.getW().getAffineY())) + "\"}";
        String tampered = es.substring(0, es.indexOf('.') + 1)
                + B64.encodeToString("{\"a\":2}".getBytes(StandardCharsets.UTF_8))
                + es.substring(es.lastIndexOf('.'));
        String m =
                "package t\nps := io.jwt.verify_ps256(input.ps, input.rsa)\nes := io.jwt.verify_es256(input.es, input.ec)\n"
                        + "bad := io.jwt.verify_es256(input.tampered, input.ec)";
        Map<String, Object> input = Map.of("ps", ps, "rsa", pem(kp), "es", es, "ec", ecJwk, "tampered", tampered);

        assertEquals(Value.fromJava(true), eval(m, "data.t.ps", input));
        assertEquals(Value.fromJava(true), eval(m, "data.t.es", input));
        assertEquals(Value.fromJava(false), eval(m, "data.t.bad", input));
    }

    private static byte[] pad(BigInteger b) {
        byte[] u = unsigned(b);
        byte[] out = new byte[32];
        System.arraycopy(u, 0, out, 32 - u.length, u.length);
        return out;
    }

    @Test
    void decodeVerify_whenClaimsChecked_rejectsExpiredWrongIssuerAndAudience() {
        String m =
                """
                package t
                key := {"kty": "oct", "k": "c2VjcmV0"}
                tok(claims) := io.jwt.encode_sign({"alg": "HS256"}, claims, key)
                ok := io.jwt.decode_verify(tok({"iss": "corp", "exp": 2000, "aud": ["hallpass"]}),
                    {"secret": "secret", "iss": "corp", "aud": "hallpass", "time": 1000000000000})
                expired := io.jwt.decode_verify(tok({"exp": 2000}), {"secret": "secret", "time": 2000000000000})
                wrong_iss := io.jwt.decode_verify(tok({"iss": "evil"}), {"secret": "secret", "iss": "corp"})
                no_aud := io.jwt.decode_verify(tok({"aud": "x"}), {"secret": "secret"})
                wrong_secret := io.jwt.decode_verify(tok({}), {"secret": "other"})
                """;
        Value ok = eval(m, "data.t.ok", Map.of());
        assertEquals(Value.fromJava(true), ((Value.Arr) ok).get(0));
        assertEquals(Value.fromJava("corp"), ((Value.Obj) ((Value.Arr) ok).get(2)).get("iss"));
        for (String rule : new String[] {"expired", "wrong_iss", "no_aud", "wrong_secret"}) {
            assertEquals(
                    Value.fromJava(java.util.List.of(false, Map.of(), Map.of())),
                    eval(m, "data.t." + rule, Map.of()),
                    rule);
        }
    }

    @Test
    void encodeSign_whenRsaJwk_roundTripsThroughDecodeVerifyWithCert() throws Exception {
        KeyPair kp = rsa();
        java.security.interfaces.RSAPrivateCrtKey priv = (java.security.interfaces.RSAPrivateCrtKey) kp.getPrivate();
        String jwk = "{\"kty\":\"RSA\",\"n\":\"" + B64.encodeToString(unsigned(priv.getModulus())) + "\",\"e\":\""
                + B64.encodeToString(unsigned(priv.getPublicExponent())) + "\",\"d\":\""
                + B64.encodeToString(unsigned(priv.getPrivateExponent())) + "\"}";
        String m = "package t\nt := io.jwt.encode_sign_raw(`{\"alg\":\"RS512\"}`, `{\"sub\":\"bob\"}`, input.jwk)\n"
                + "r := io.jwt.decode_verify(t, {\"cert\": input.pem})";
        Value r = eval(m, "data.t.r", Map.of("jwk", jwk, "pem", pem(kp)));
        assertEquals(Value.fromJava(true), ((Value.Arr) r).get(0));
    }

    @Test
    void compile_whenPolicyCallsUnsupportedBuiltin_failsNamingIt() {
        RegoException e = assertThrows(
                RegoException.class,
                () -> RegoCompiler.compile("t.rego", "package t\nallow if graphql.parse_query(input.q)"));
        assertEquals(RegoCompiler.UNSUPPORTED_BUILTIN, e.code());
        assertTrue(e.getMessage().contains("graphql.parse_query"), e.getMessage());
    }

    @Test
    void httpSend_whenCalled_endsTheEvaluationWithAnError() {
        PolicySet ps = RegoCompiler.compile(
                "t.rego", "package t\ndeny if not http.send({\"method\": \"GET\", \"url\": \"http://x\"}).body.ok");
        RegoException e = assertThrows(RegoException.class, () -> ps.evalRef("data.t.deny", null, null));
        assertTrue(e.getMessage().contains("network access is refused"), e.getMessage());
    }
}
