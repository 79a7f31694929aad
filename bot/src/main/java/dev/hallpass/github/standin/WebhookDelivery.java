package dev.hallpass.github.standin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One webhook delivery as GitHub would send it. Redelivery re-sends the same bytes with the same
 * {@code X-GitHub-Delivery}, so a receiver's replay protection can be tested.
 *
 * @param responseStatuses the HTTP status of each attempt, or -1 when the receiver could not be reached
 */
public record WebhookDelivery(
        String id,
        String event,
        String action,
        byte[] body,
        Map<String, String> headers,
        List<Integer> responseStatuses) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Status of the latest attempt, or 0 when not attempted (no webhook configured). */
    public int lastStatus() {
        return responseStatuses.isEmpty() ? 0 : responseStatuses.get(responseStatuses.size() - 1);
    }
}
