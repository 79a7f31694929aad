package dev.hallpass.request;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for temporary access: the contents of {@code requests/<id>.yaml}.
 *
 * @param incident the incident id; required when {@code emergency}
 * @param start a scheduled start for a maintenance window; empty means "when merged"
 */
public record AccessRequest(
        RequestId id,
        Login requester,
        RoleName role,
        EnvironmentName environment,
        AccessDuration duration,
        String reason,
        boolean emergency,
        Optional<String> incident,
        Optional<Instant> start) {

    public static final String API_VERSION = "hallpass/v1";
    public static final String KIND = "AccessRequest";
    public static final int MAX_REASON_LENGTH = 1000;

    public AccessRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(start, "start");
        if (reason == null || reason.isBlank()) {
            throw new InvalidValueException("empty", "reason is empty");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidValueException("too_long", "reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        if (emergency && incident.isEmpty()) {
            throw new InvalidValueException("incident_required", "an emergency request needs an incident id");
        }
    }
}
