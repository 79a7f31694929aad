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
        return source(System.getenv());
    }

    /** The same, reading {@code OPA_URL} and the token from {@code env} (the Action passes the runner's). */
    public PolicySource source(java.util.Map<String, String> env) {
        return opa(env).<PolicySource>map(PolicySource::fixed).orElseGet(EmbeddedPolicySource::withBundledPolicies);
    }

    /** The OPA to ask, when {@code --opa-url} or {@code OPA_URL} names one; empty for the embedded engine. */
    public Optional<OpaRestEngine> opa(java.util.Map<String, String> env) {
        String url = Optional.ofNullable(opaUrl).orElse(env.get("OPA_URL"));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        OpaRestEngine.Options options = OpaRestEngine.Options.defaults();
        if (opaTokenEnv != null && env.get(opaTokenEnv) != null) {
            options = options.withBearerToken(env.get(opaTokenEnv));
        }
        return Optional.of(new OpaRestEngine(URI.create(url), options));
    }
}
