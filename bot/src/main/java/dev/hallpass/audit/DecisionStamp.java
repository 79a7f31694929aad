package dev.hallpass.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Which decision allowed a change: the digest of the canonical policy input and decision, the base commit
 * whose policies judged it and the decision codes. Written as {@code Hallpass-Decision}, {@code
 * Hallpass-Policy-Commit} and {@code Hallpass-Codes}.
 *
 * @param digest {@code sha256:<64 hex>}, computed by the caller with {@link #digest(byte[])}
 * @param policyCommit the sha of the base commit whose policies judged the request
 * @param decisionId OPA's {@code decision_id} when a real OPA decided (written as {@code Hallpass-Decision-Id})
 */
public record DecisionStamp(
        String digest, String policyCommit, List<String> codes, java.util.Optional<String> decisionId) {
    public DecisionStamp(String digest, String policyCommit, List<String> codes) {
        this(digest, policyCommit, codes, java.util.Optional.empty());
    }

    public DecisionStamp {
        Objects.requireNonNull(decisionId, "decisionId");
        decisionId.ifPresent(d -> {
            if (!Trailers.DECISION_ID_SHAPE.matcher(d).matches()) {
                throw new IllegalArgumentException("invalid OPA decision id '" + Trailers.printable(d) + "'");
            }
        });
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(policyCommit, "policyCommit");
        codes = List.copyOf(codes);
        if (!Trailers.DECISION_SHAPE.matcher(digest).matches()) {
            throw new IllegalArgumentException("decision digest must be sha256:<64 lowercase hex>, got " + digest);
        }
        if (!Trailers.SHA_SHAPE.matcher(policyCommit).matches()) {
            throw new IllegalArgumentException("policy commit must be a full lowercase sha, got " + policyCommit);
        }
        for (String c : codes) {
            if (!Trailers.CODE_SHAPE.matcher(c).matches()) {
                throw new IllegalArgumentException("invalid decision code '" + Trailers.printable(c) + "'");
            }
        }
    }

    /** {@code sha256:<hex>} of the canonical bytes of the policy input and decision. */
    public static String digest(byte[] canonicalInputAndDecision) {
        return "sha256:" + HexFormat.of().formatHex(sha256(canonicalInputAndDecision));
    }

    public static String digest(String canonicalInputAndDecision) {
        return digest(canonicalInputAndDecision.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
