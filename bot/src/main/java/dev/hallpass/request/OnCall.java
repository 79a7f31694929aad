package dev.hallpass.request;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@code oncall.yaml}: rotations, so a policy can ask "is this person on call now". */
public record OnCall(Map<String, Rotation> rotations) {
    public static final String FILE = "oncall.yaml";

    public OnCall {
        rotations = Map.copyOf(rotations);
    }

    /** Who is on call at {@code at}, by rotation name; rotations that have not started are absent. */
    public Map<String, Login> onCallAt(Instant at) {
        Map<String, Login> out = new LinkedHashMap<>();
        rotations.values().stream()
                .sorted(java.util.Comparator.comparing(Rotation::name))
                .forEach(r -> r.onCallAt(at).ifPresent(l -> out.put(r.name(), l)));
        return out;
    }

    /**
     * A rotation: shifts of {@code shift} length hand off at {@code handoff} local time in {@code zone},
     * starting on {@code firstDay} with the first person in {@code people}. Shift arithmetic runs on local
     * time, so a daylight-saving change never moves the hand-off hour.
     */
    public record Rotation(
            String name,
            ZoneId zone,
            LocalTime handoff,
            Duration shift,
            LocalDate firstDay,
            List<Login> people,
            List<Override> overrides) {
        public Rotation {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(handoff, "handoff");
            Objects.requireNonNull(shift, "shift");
            Objects.requireNonNull(firstDay, "firstDay");
            people = List.copyOf(people);
            overrides = List.copyOf(overrides);
            if (people.isEmpty()) {
                throw new InvalidValueException("empty", "a rotation needs at least one person");
            }
            if (shift.compareTo(Duration.ofHours(1)) < 0 || shift.compareTo(Duration.ofDays(31)) > 0) {
                throw new InvalidValueException("out_of_range", "a shift lasts between 1h and 31d");
            }
        }

        public Optional<Login> onCallAt(Instant at) {
            for (Override o : overrides) {
                if (!at.isBefore(o.from()) && at.isBefore(o.until())) {
                    return Optional.of(o.person());
                }
            }
            LocalDateTime first = LocalDateTime.of(firstDay, handoff);
            LocalDateTime now = LocalDateTime.ofInstant(at, zone);
            if (now.isBefore(first)) {
                return Optional.empty();
            }
            long minutes = ChronoUnit.MINUTES.between(first, now);
            long index = minutes / shift.toMinutes();
            return Optional.of(people.get((int) (index % people.size())));
        }
    }

    /** Someone covering a rotation from {@code from} (inclusive) until {@code until} (exclusive). */
    public record Override(Login person, Instant from, Instant until) {
        public Override {
            Objects.requireNonNull(person, "person");
            if (!until.isAfter(from)) {
                throw new InvalidValueException("invalid", "an override's 'until' must be after its 'from'");
            }
        }
    }
}
