package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * io.jwt.*: decoding, verification (HMAC, RSA PKCS#1 v1.5 and PSS, ECDSA, Ed25519) and signing, with the
 * JDK's providers. Keys are given as OPA takes them: a PEM certificate or public key, a JWK or a JWK set.
 * A signature that does not verify is {@code false}, never undefined, so {@code verify(...) == false} denies.
 */
final class Jwt {
    private Jwt() {}

    private static final Set<String> CONSTRAINTS = Set.of("cert", "secret", "alg", "iss", "aud", "time");

    static void register(Reg r) {
        r.fn("io.jwt.decode", 1, (ctx, a) -> {
            Token t = Token.parse("io.jwt.decode", str("io.jwt.decode", a, 0));
            return Value.array(t.header, t.payload, Value.str(Crypto.hex(t.signature)));
        });
        for (String alg : new String[] {
            "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384", "es512",
            "eddsa"
        }) {
            String name = "io.jwt.verify_" + alg;
            String jwa = alg.equals("eddsa") ? "EdDSA" : alg.toUpperCase();
            r.fn(name, 2, (ctx, a) -> {
                String token = str(name, a, 0);
                String keyText = str(name, a, 1);
                String[] parts = split(name, token);
                byte[] signature = b64url(name, parts[2]);
                byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
                if (jwa.startsWith("HS")) {
                    return Value.bool(verifyHmac(jwa, Args.utf8(keyText), signed, signature));
                }
                for (Jwk k : publicKeys(name, keyText)) {
                    if (verify(jwa, k.key, signed, signature)) {
                        return Value.TRUE;
                    }
                }
                return Value.FALSE;
            });
        }
        r.fn("io.jwt.decode_verify", 2, (ctx, a) -> {
            String name = "io.jwt.decode_verify";
            String token = str(name, a, 0);
            Value.Obj constraints = Args.obj(name, a, 1);
            return decodeVerify(name, token, constraints, ctx.nowNs());
        });
        r.fn("io.jwt.encode_sign", 3, (ctx, a) -> {
            String name = "io.jwt.encode_sign";
            Value.Obj header = Args.obj(name, a, 0);
            Value.Obj payload = Args.obj(name, a, 1);
            Value.Obj key = Args.obj(name, a, 2);
            return Value.str(sign(name, header.toJson(), payload.toJson(), key));
        });
        r.fn("io.jwt.encode_sign_raw", 3, (ctx, a) -> {
            String name = "io.jwt.encode_sign_raw";
            String header = str(name, a, 0);
            String payload = str(name, a, 1);
            Value key = parseJsonOrNull(str(name, a, 2));
            if (!(key instanceof Value.Obj o)) {
                throw BuiltinException.error(name, "key is not a JSON Web Key");
            }
            return Value.str(sign(name, header, payload, o));
        });
    }

    // ------------------------------------------------------------------------------- decode_verify

    private static Value decodeVerify(String name, String token, Value.Obj c, long nowNs) {
        for (Value k : c.entries().keySet()) {
            if (!(k instanceof Value.Str s) || !CONSTRAINTS.contains(s.value())) {
                throw BuiltinException.error(name, "unknown token validation constraint: " + k);
            }
        }
        String cert = optString(name, c, "cert");
        String secret = optString(name, c, "secret");
        String wantAlg = optString(name, c, "alg");
        String wantIss = optString(name, c, "iss");
        String wantAud = optString(name, c, "aud");
        Value time = c.get("time");
        BigDecimal now;
        if (time == null) {
            now = BigDecimal.valueOf(nowNs);
        } else if (time instanceof Value.Num n) {
            now = n.value();
        } else {
            throw BuiltinException.error(name, "token time constraint: must be a number");
        }
        if (cert != null && secret != null) {
            throw BuiltinException.error(name, "duplicate key constraints");
        }
        if (cert == null && secret == null) {
            throw BuiltinException.error(name, "no key constraint");
        }
        List<Jwk> keys = cert != null ? publicKeys(name, cert) : List.of();
        Value unverified = Value.array(Value.FALSE, Value.EMPTY_OBJECT, Value.EMPTY_OBJECT);
        Token t = Token.parse(name, token);
        Value algV = t.header.get("alg");
        if (!(algV instanceof Value.Str algS)) {
            return unverified;
        }
        String alg = algS.value();
        if (wantAlg != null && !wantAlg.equals(alg)) {
            return unverified;
        }
        boolean ok;
        if (alg.startsWith("HS")) {
            ok = secret != null && verifyHmac(alg, Args.utf8(secret), t.signed, t.signature);
        } else if (cert != null && SIGNATURE_ALGS.containsKey(alg)) {
            ok = false;
            String kid = t.header.get("kid") instanceof Value.Str s ? s.value() : null;
            boolean kidMatches = kid != null && keys.stream().anyMatch(k -> kid.equals(k.kid));
            for (Jwk k : keys) {
                if (kidMatches && !kid.equals(k.kid)) {
                    continue;
                }
                if (verify(alg, k.key, t.signed, t.signature)) {
                    ok = true;
                    break;
                }
            }
        } else {
            ok = false;
        }
        if (!ok) {
            return unverified;
        }
        Value.Obj p = t.payload;
        BigDecimal second = BigDecimal.valueOf(1_000_000_000L);
        Value exp = p.get("exp");
        if (exp != null) {
            if (!(exp instanceof Value.Num n)) {
                throw BuiltinException.error(name, "exp value must be a number");
            }
            if (now.compareTo(n.value().multiply(second)) >= 0) {
                return unverified;
            }
        }
        Value nbf = p.get("nbf");
        if (nbf != null) {
            if (!(nbf instanceof Value.Num n)) {
                throw BuiltinException.error(name, "nbf value must be a number");
            }
            if (now.compareTo(n.value().multiply(second)) < 0) {
                return unverified;
            }
        }
        if (wantIss != null
                && !(p.get("iss") instanceof Value.Str iss && iss.value().equals(wantIss))) {
            return unverified;
        }
        Value aud = p.get("aud");
        if (aud != null || wantAud != null) {
            if (aud == null || wantAud == null || !audienceContains(aud, wantAud)) {
                return unverified;
            }
        }
        return Value.array(Value.TRUE, t.header, p);
    }

    private static boolean audienceContains(Value aud, String want) {
        if (aud instanceof Value.Str s) {
            return s.value().equals(want);
        }
        if (aud instanceof Value.Arr arr) {
            for (Value v : arr) {
                if (v instanceof Value.Str s && s.value().equals(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String optString(String name, Value.Obj c, String key) {
        Value v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Value.Str s)) {
            throw BuiltinException.error(name, "token " + key + " constraint: must be a string");
        }
        return s.value();
    }

    // ----------------------------------------------------------------------------- verification

    private static final Map<String, String> SIGNATURE_ALGS = Map.ofEntries(
            Map.entry("RS256", "SHA256withRSA"),
            Map.entry("RS384", "SHA384withRSA"),
            Map.entry("RS512", "SHA512withRSA"),
            Map.entry("PS256", "RSASSA-PSS"),
            Map.entry("PS384", "RSASSA-PSS"),
            Map.entry("PS512", "RSASSA-PSS"),
            Map.entry("ES256", "SHA256withECDSAinP1363Format"),
            Map.entry("ES384", "SHA384withECDSAinP1363Format"),
            Map.entry("ES512", "SHA512withECDSAinP1363Format"),
            Map.entry("EdDSA", "Ed25519"));

    private static Signature signature(String alg) throws GeneralSecurityException {
        String jdk = SIGNATURE_ALGS.get(alg);
        if (jdk == null) {
            throw new GeneralSecurityException("unsupported algorithm " + alg);
        }
        Signature s = Signature.getInstance(jdk);
        if (alg.startsWith("PS")) {
            String bits = alg.substring(2);
            MGF1ParameterSpec mgf =
                    switch (bits) {
                        case "256" -> MGF1ParameterSpec.SHA256;
                        case "384" -> MGF1ParameterSpec.SHA384;
                        default -> MGF1ParameterSpec.SHA512;
                    };
            s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", mgf, Integer.parseInt(bits) / 8, 1));
        }
        return s;
    }

    /** False for a signature that does not verify, and for a key of the wrong type for the algorithm. */
    static boolean verify(String alg, Key key, byte[] signed, byte[] sig) {
        if (!(key instanceof PublicKey pk)) {
            return false;
        }
        try {
            Signature s = signature(alg);
            s.initVerify(pk);
            s.update(signed);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean verifyHmac(String alg, byte[] secret, byte[] signed, byte[] sig) {
        return MessageDigest.isEqual(hmac(alg, secret, signed), sig);
    }

    private static byte[] hmac(String alg, byte[] secret, byte[] signed) {
        String jdk = "HmacSHA" + alg.substring(2);
        try {
            Mac mac = Mac.getInstance(jdk);
            // Go's hmac takes an empty key; SecretKeySpec does not, and one zero byte is equivalent.
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, jdk));
            return mac.doFinal(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ----------------------------------------------------------------------------------- signing

    private static String sign(String name, String header, String payload, Value.Obj jwk) {
        Value hv = parseJsonOrNull(header);
        if (!(hv instanceof Value.Obj h) || !(h.get("alg") instanceof Value.Str algS)) {
            throw BuiltinException.error(name, "header must be a JSON object with an alg");
        }
        String alg = algS.value();
        String input =
                b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        byte[] signed = input.getBytes(StandardCharsets.US_ASCII);
        byte[] sig;
        if (alg.startsWith("HS") && Set.of("HS256", "HS384", "HS512").contains(alg)) {
            if (!(jwk.get("k") instanceof Value.Str k)) {
                throw BuiltinException.error(name, "an HMAC key must be a JWK of kty oct with k");
            }
            sig = hmac(alg, b64url(name, k.value()), signed);
        } else {
            PrivateKey key = privateKey(name, jwk);
            try {
                Signature s = signature(alg);
                s.initSign(key);
                s.update(signed);
                sig = s.sign();
            } catch (GeneralSecurityException e) {
                throw BuiltinException.error(name, "cannot sign with " + alg + ": " + e.getMessage());
            }
        }
        return input + "." + b64(sig);
    }

    private static PrivateKey privateKey(String name, Value.Obj jwk) {
        String kty = field(jwk, "kty");
        try {
            if ("RSA".equals(kty) && jwk.get("d") != null) {
                BigInteger n = big(name, jwk, "n");
                BigInteger d = big(name, jwk, "d");
                KeyFactory kf = KeyFactory.getInstance("RSA");
                if (jwk.get("p") != null && jwk.get("q") != null && jwk.get("dp") != null) {
                    return kf.generatePrivate(new RSAPrivateCrtKeySpec(
                            n,
                            big(name, jwk, "e"),
                            d,
                            big(name, jwk, "p"),
                            big(name, jwk, "q"),
                            big(name, jwk, "dp"),
                            big(name, jwk, "dq"),
                            big(name, jwk, "qi")));
                }
                return kf.generatePrivate(new RSAPrivateKeySpec(n, d));
            }
            if ("EC".equals(kty) && jwk.get("d") != null) {
                return KeyFactory.getInstance("EC")
                        .generatePrivate(new ECPrivateKeySpec(big(name, jwk, "d"), curve(field(jwk, "crv"))));
            }
            if ("OKP".equals(kty) && "Ed25519".equals(field(jwk, "crv")) && jwk.get("d") != null) {
                byte[] d = b64url(name, field(jwk, "d"));
                byte[] der = concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), d);
                return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error(name, "invalid private key: " + e.getMessage());
        }
        throw BuiltinException.error(name, "unsupported private key (kty " + kty + ")");
    }

    // -------------------------------------------------------------------------------------- keys

    /** A public key and its JWK key id, if any. */
    record Jwk(String kid, PublicKey key) {}

    /** A PEM certificate or public key, a JWK or a JWK set; an error when none is usable. */
    static List<Jwk> publicKeys(String name, String text) {
        String t = text.strip();
        List<Jwk> out = new ArrayList<>();
        try {
            if (t.startsWith("-----BEGIN CERTIFICATE-----")) {
                for (Certificate c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(t.getBytes(StandardCharsets.US_ASCII)))) {
                    out.add(new Jwk(null, c.getPublicKey()));
                }
            } else if (t.startsWith("-----BEGIN PUBLIC KEY-----")) {
                out.add(new Jwk(null, spki(Pem.der(t, "PUBLIC KEY"))));
            } else if (t.startsWith("{")) {
                Value v = parseJsonOrNull(t);
                if (v instanceof Value.Obj o && o.get("keys") instanceof Value.Arr keys) {
                    for (Value k : keys) {
                        if (k instanceof Value.Obj ko) {
                            out.add(jwkPublic(name, ko));
                        }
                    }
                } else if (v instanceof Value.Obj o) {
                    out.add(jwkPublic(name, o));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw BuiltinException.error(name, "failed to parse a JWK key (set): " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw BuiltinException.error(name, "failed to parse a JWK key (set)");
        }
        return out;
    }

    static PublicKey spki(byte[] der) throws GeneralSecurityException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new GeneralSecurityException("unsupported public key");
    }

    private static Jwk jwkPublic(String name, Value.Obj o) throws GeneralSecurityException {
        String kty = field(o, "kty");
        String kid = field(o, "kid");
        if (o.get("x5c") instanceof Value.Arr x5c && x5c.size() > 0 && x5c.get(0) instanceof Value.Str der) {
            Certificate c = CertificateFactory.getInstance("X.509")
                    .generateCertificate(
                            new ByteArrayInputStream(Base64.getDecoder().decode(der.value())));
            return new Jwk(kid, c.getPublicKey());
        }
        if ("RSA".equals(kty)) {
            return new Jwk(
                    kid,
                    KeyFactory.getInstance("RSA")
                            .generatePublic(new RSAPublicKeySpec(big(name, o, "n"), big(name, o, "e"))));
        }
        if ("EC".equals(kty)) {
            ECPoint w = new ECPoint(big(name, o, "x"), big(name, o, "y"));
            return new Jwk(
                    kid, KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, curve(field(o, "crv")))));
        }
        if ("OKP".equals(kty) && "Ed25519".equals(field(o, "crv"))) {
            byte[] der = concat(HexFormat.of().parseHex("302a300506032b6570032100"), b64url(name, field(o, "x")));
            return new Jwk(kid, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        }
        throw new GeneralSecurityException("unsupported key type " + kty);
    }

    private static ECParameterSpec curve(String crv) throws GeneralSecurityException {
        String std =
                switch (crv == null ? "" : crv) {
                    case "P-256" -> "secp256r1";
                    case "P-384" -> "secp384r1";
                    case "P-521" -> "secp521r1";
                    default -> throw new GeneralSecurityException("unsupported curve " + crv);
                };
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(std));
        return p.getParameterSpec(ECParameterSpec.class);
    }

    private static String field(Value.Obj o, String key) {
        return o.get(key) instanceof Value.Str s ? s.value() : null;
    }

    private static BigInteger big(String name, Value.Obj o, String key) {
        String s = field(o, key);
        if (s == null) {
            throw BuiltinException.error(name, "JWK lacks " + key);
        }
        return new BigInteger(1, b64url(name, s));
    }

    // ------------------------------------------------------------------------------------ tokens

    private record Token(Value.Obj header, Value.Obj payload, byte[] signature, byte[] signed) {
        static Token parse(String fn, String token) {
            String[] parts = split(fn, token);
            return new Token(
                    json(fn, parts[0], "header"),
                    json(fn, parts[1], "payload"),
                    b64url(fn, parts[2]),
                    (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String[] split(String fn, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw BuiltinException.error(fn, "encoded JWT must have 3 sections, found " + parts.length);
        }
        return parts;
    }

    static byte[] b64url(String fn, String s) {
        try {
            return Base64.getUrlDecoder().decode(s.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error(fn, "JWT is not valid base64url: " + e.getMessage());
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Value parseJsonOrNull(String s) {
        try {
            return JsonBuiltins.parseJson(s);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Value.Obj json(String fn, String part, String what) {
        Value v = parseJsonOrNull(new String(b64url(fn, part), StandardCharsets.UTF_8));
        if (!(v instanceof Value.Obj o)) {
            throw BuiltinException.error(fn, "JWT " + what + " is not a JSON object");
        }
        return o;
    }

    /** PEM blocks, for keys and certificates. */
    static final class Pem {
        private Pem() {}

        /** The DER bytes of every block of the given type (e.g. {@code CERTIFICATE}), in order. */
        static List<byte[]> blocks(String text, String type) {
            List<byte[]> out = new ArrayList<>();
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int i = 0;
            while ((i = text.indexOf(begin, i)) >= 0) {
                int j = text.indexOf(end, i);
                if (j < 0) {
                    throw new IllegalArgumentException("unterminated PEM block " + type);
                }
                String body = text.substring(i + begin.length(), j).replaceAll("\\s", "");
                out.add(Base64.getDecoder().decode(body));
                i = j + end.length();
            }
            return out;
        }

        static byte[] der(String text, String type) {
            List<byte[]> b = blocks(text, type);
            if (b.isEmpty()) {
                throw new IllegalArgumentException("no PEM block " + type);
            }
            return b.get(0);
        }
    }
}
