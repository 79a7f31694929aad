package dev.hallpass.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's {@code X-Hub-Signature-256}: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the hook secret. */
public final class WebhookSignature {
    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    public static String compute(byte[] secret, byte[] body) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String compute(String secret, byte[] body) {
        return compute(secret.getBytes(StandardCharsets.UTF_8), body);
    }

    /** Constant-time check of a header value against the body; a missing or malformed header is simply false. */
    public static boolean verify(byte[] secret, byte[] body, String header) {
        if (header == null || body == null) {
            return false;
        }
        byte[] expected = compute(secret, body).getBytes(StandardCharsets.US_ASCII);
        // Lower-case the hex so an upper-case sender still matches; length is not secret.
        byte[] actual = header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    public static boolean verify(String secret, byte[] body, String header) {
        return verify(secret.getBytes(StandardCharsets.UTF_8), body, header);
    }
}
