package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // GitHub's published test vector (docs: "Validating webhook deliveries").
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void compute_whenGitHubTestVector_matchesPublishedSignature() {
        assertEquals(EXPECTED, WebhookSignature.compute(SECRET, PAYLOAD));
    }

    @Test
    void verify_whenSignatureMatches_isTrue() {
        assertTrue(WebhookSignature.verify(SECRET, PAYLOAD, EXPECTED));
        assertTrue(
                WebhookSignature.verify(SECRET, PAYLOAD, EXPECTED.toUpperCase().replace("SHA256", "sha256")));
    }

    @Test
    void verify_whenBodySecretOrHeaderDiffers_isFalse() {
        assertFalse(WebhookSignature.verify(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED));
        assertFalse(WebhookSignature.verify("another secret", PAYLOAD, EXPECTED));
        assertFalse(WebhookSignature.verify(SECRET, PAYLOAD, null));
        assertFalse(WebhookSignature.verify(SECRET, PAYLOAD, ""));
        assertFalse(WebhookSignature.verify(SECRET, PAYLOAD, EXPECTED.replace("sha256=", "sha1=")));
    }
}
