package dev.hallpass.policy;

import dev.hallpass.request.RepoTree;

/**
 * Gives the policy engine for a pull request's base commit. The embedded engine compiles the bundled
 * policies plus the access repository's own {@code policies/} at that commit; OPA has its own bundle.
 */
@FunctionalInterface
public interface PolicySource {
    PolicyEngine engineFor(RepoTree base);

    static PolicySource fixed(PolicyEngine engine) {
        return base -> engine;
    }
}
