package dev.hallpass.cli;

import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.OpaRestEngine;
import dev.hallpass.policy.PolicySource;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where decisions come from: OPA over REST when {@code --opa-url} or {@code OPA_URL} is set, the embedded
 * Rego engine with the shipped policies (plus the repository's own) otherwise.
 */
public final class PolicyOptions {
    @Option(
            names = "--opa-url",
            description = "Evaluate with OPA at this URL (default: $OPA_URL; embedded engine when unset).")
    String opaUrl;

    @Option(names = "--opa-token-env", description = "Name of the environment variable holding OPA's bearer token.")
    String opaTokenEnv;

    public PolicySource source() {
        String url = Optional.ofNullable(opaUrl).orElse(System.getenv("OPA_URL"));
        if (url == null || url.isBlank()) {
            return EmbeddedPolicySource.withBundledPolicies();
        }
        OpaRestEngine.Options options = OpaRestEngine.Options.defaults();
        if (opaTokenEnv != null && System.getenv(opaTokenEnv) != null) {
            options = options.withBearerToken(System.getenv(opaTokenEnv));
        }
        return PolicySource.fixed(new OpaRestEngine(URI.create(url), options));
    }
}
