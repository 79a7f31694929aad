package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes and HMACs, hex-encoded like OPA's. */
final class Crypto {
    private Crypto() {}

    static void register(Reg r) {
        digest(r, "crypto.md5", "MD5");
        digest(r, "crypto.sha1", "SHA-1");
        digest(r, "crypto.sha256", "SHA-256");
        hmac(r, "crypto.hmac.md5", "HmacMD5");
        hmac(r, "crypto.hmac.sha1", "HmacSHA1");
        hmac(r, "crypto.hmac.sha256", "HmacSHA256");
        hmac(r, "crypto.hmac.sha512", "HmacSHA512");
        r.fn(
                "crypto.hmac.equal",
                2,
                (ctx, a) -> Value.bool(MessageDigest.isEqual(
                        Args.utf8(str("crypto.hmac.equal", a, 0)), Args.utf8(str("crypto.hmac.equal", a, 1)))));
        X509.register(r);
        r.unsupported("crypto.x509.parse_certificate_request", 1);
        r.unsupported("crypto.parse_private_keys", 1);
        r.unsupported("crypto.x509.parse_and_verify_certificates_with_options", 2);
        r.unsupported("crypto.x509.parse_keypair", 2);
    }

    private static void digest(Reg r, String name, String alg) {
        r.fn(name, 1, (ctx, a) -> {
            try {
                return Value.str(hex(MessageDigest.getInstance(alg).digest(Args.utf8(str(name, a, 0)))));
            } catch (GeneralSecurityException e) {
                throw BuiltinException.error(name, e.getMessage());
            }
        });
    }

    private static void hmac(Reg r, String name, String alg) {
        r.fn(name, 2, (ctx, a) -> {
            byte[] msg = Args.utf8(str(name, a, 0));
            byte[] key = Args.utf8(str(name, a, 1));
            try {
                Mac mac = Mac.getInstance(alg);
                // An empty key is legal in Go's hmac but SecretKeySpec rejects it; one zero byte is equivalent.
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, alg));
                return Value.str(hex(mac.doFinal(msg)));
            } catch (GeneralSecurityException e) {
                throw BuiltinException.error(name, e.getMessage());
            }
        });
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
