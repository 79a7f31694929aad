package dev.hallpass.request;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code hallpass.yaml}: the environments, emergency rules and providers of one access repository.
 *
 * @param platformOwners who owns the access repository (logins or {@code group:} of the catalog): they may end any
 *     grant early by deleting its request file
 */
public record Settings(
        Optional<String> organization,
        Map<EnvironmentName, Environment> environments,
        Emergency emergency,
        Map<ProviderName, ProviderConfig> providers,
        Review review,
        List<Principal> platformOwners) {

    public static final String FILE = "hallpass.yaml";

    public Settings {
        Objects.requireNonNull(organization, "organization");
        environments = Map.copyOf(environments);
        Objects.requireNonNull(emergency, "emergency");
        providers = Map.copyOf(providers);
        Objects.requireNonNull(review, "review");
        platformOwners = List.copyOf(platformOwners);
    }

    /** Settings without platform owners. */
    public Settings(
            Optional<String> organization,
            Map<EnvironmentName, Environment> environments,
            Emergency emergency,
            Map<ProviderName, ProviderConfig> providers,
            Review review) {
        this(organization, environments, emergency, providers, review, List.of());
    }

    public record Environment(EnvironmentName name, String description, boolean production) {}

    /**
     * The break-glass rules.
     *
     * @param maxDuration the longest an emergency grant may last, whatever the role allows
     * @param reviewDeadline how long after the merge the retroactive review is due
     * @param incidentPattern what an incident id must look like (a full match)
     * @param maxLiveGrants how many emergency grants may be live at once across the repository
     */
    public record Emergency(Duration maxDuration, Duration reviewDeadline, Pattern incidentPattern, int maxLiveGrants) {
        public Emergency {
            Objects.requireNonNull(maxDuration, "maxDuration");
            Objects.requireNonNull(reviewDeadline, "reviewDeadline");
            Objects.requireNonNull(incidentPattern, "incidentPattern");
            if (maxLiveGrants < 1) {
                throw new InvalidValueException("out_of_range", "max_live_grants must be at least 1");
            }
        }
    }

    /** Settings for normal reviews: who may never approve their own request is implicit. */
    public record Review(boolean dismissStaleApprovals) {}

    /**
     * A provider by name. {@code settings} holds its type-specific, non-secret settings; secrets are only
     * ever names of environment variables (keys ending in {@code _env}).
     */
    public record ProviderConfig(ProviderName name, String type, Map<String, Object> settings) {
        public ProviderConfig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            settings = Map.copyOf(settings);
        }

        public Optional<String> string(String key) {
            Object v = settings.get(key);
            return v instanceof String s ? Optional.of(s) : Optional.empty();
        }
    }
}
