package dev.hallpass.policy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates a policy decision. Two adapters: {@link OpaRestEngine} (Open Policy Agent over its REST Data
 * API) and {@code EmbeddedRegoEngine} (the same {@code .rego} files, evaluated in-process). The bot never
 * knows which one it talks to.
 */
public interface PolicyEngine {

    /**
     * Evaluates the document at {@code path} (slash-separated, e.g. {@code hallpass/access/decision})
     * with {@code input}. Never throws for policy or transport problems: they come back as {@link
     * PolicyResult.Failed}, and callers fail closed on them.
     */
    PolicyResult evaluate(String path, JsonNode input);

    /** For logs and comments: "OPA at http://opa:8181" or "embedded Rego (5 modules)". */
    String describe();
}
