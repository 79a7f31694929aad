package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The self-contained part of io.jwt.*: decoding and HMAC verification. Signing and public-key
 * verification need key infrastructure Hallpass does not have; those are declared elsewhere so that
 * policies can mock them.
 */
final class Jwt {
    private Jwt() {}

    static void register(Reg r) {
        r.fn("io.jwt.decode", 1, (ctx, a) -> {
            String[] parts = split("io.jwt.decode", str("io.jwt.decode", a, 0));
            Value header = json("io.jwt.decode", parts[0], "header");
            Value payload = json("io.jwt.decode", parts[1], "payload");
            return Value.array(header, payload, Value.str(Crypto.hex(b64url("io.jwt.decode", parts[2]))));
        });
        verifier(r, "io.jwt.verify_hs256", "HmacSHA256");
        verifier(r, "io.jwt.verify_hs384", "HmacSHA384");
        verifier(r, "io.jwt.verify_hs512", "HmacSHA512");
    }

    private static void verifier(Reg r, String name, String alg) {
        r.fn(name, 2, (ctx, a) -> {
            String token = str(name, a, 0);
            byte[] secret = Args.utf8(str(name, a, 1));
            String[] parts = split(name, token);
            byte[] signature = b64url(name, parts[2]);
            try {
                Mac mac = Mac.getInstance(alg);
                mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, alg));
                byte[] want = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                return Value.bool(MessageDigest.isEqual(want, signature));
            } catch (GeneralSecurityException e) {
                throw BuiltinException.error(name, e.getMessage());
            }
        });
    }

    private static String[] split(String fn, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw BuiltinException.error(fn, "encoded JWT must have 3 sections, found " + parts.length);
        }
        return parts;
    }

    private static byte[] b64url(String fn, String s) {
        try {
            return Base64.getUrlDecoder().decode(s.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error(fn, "JWT is not valid base64url: " + e.getMessage());
        }
    }

    private static Value json(String fn, String part, String what) {
        try {
            Value v = JsonBuiltins.parseJson(new String(b64url(fn, part), StandardCharsets.UTF_8));
            if (!(v instanceof Value.Obj)) {
                throw BuiltinException.error(fn, "JWT " + what + " is not a JSON object");
            }
            return v;
        } catch (IOException | IllegalArgumentException e) {
            throw BuiltinException.error(fn, "JWT " + what + " is not valid JSON");
        }
    }
}
