package dev.hallpass.audit;

import dev.hallpass.request.InvalidValueException;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code Hallpass-*} trailers of a commit message: what Hallpass claims a commit did. The files a commit
 * changes are the truth; trailers are claims the audit cross-checks against them.
 *
 * <p>Every field is optional here because parsing must survive any message; which fields an action needs is
 * checked by the audit. {@link #approvedBy} is empty both when absent and when written as {@code -}; {@link
 * #approvedByPresent} tells them apart.
 */
public record Trailers(
        Optional<RequestId> request,
        Optional<AuditAction> action,
        Optional<String> decision,
        Optional<String> policyCommit,
        Optional<String> decisionId,
        OptionalInt pullRequest,
        Optional<Login> requester,
        Optional<Boolean> emergency,
        boolean approvedByPresent,
        List<Login> approvedBy,
        Optional<Login> reviewer,
        Optional<Login> revokedBy,
        Optional<Instant> expiresAt,
        List<String> codes) {

    public static final String REQUEST = "Hallpass-Request";
    public static final String ACTION = "Hallpass-Action";
    public static final String DECISION = "Hallpass-Decision";
    public static final String POLICY_COMMIT = "Hallpass-Policy-Commit";
    /** OPA's {@code decision_id}, when a real OPA decided: the key into its decision logs. */
    public static final String DECISION_ID = "Hallpass-Decision-Id";

    public static final String PULL_REQUEST = "Hallpass-Pull-Request";
    public static final String REQUESTER = "Hallpass-Requester";
    public static final String EMERGENCY = "Hallpass-Emergency";
    public static final String APPROVED_BY = "Hallpass-Approved-By";
    public static final String REVIEWER = "Hallpass-Reviewer";
    public static final String REVOKED_BY = "Hallpass-Revoked-By";
    public static final String EXPIRES_AT = "Hallpass-Expires-At";
    public static final String CODES = "Hallpass-Codes";

    /** Keys in the order they are written. */
    public static final List<String> KEYS = List.of(
            REQUEST,
            ACTION,
            PULL_REQUEST,
            REQUESTER,
            EMERGENCY,
            APPROVED_BY,
            REVIEWER,
            REVOKED_BY,
            EXPIRES_AT,
            DECISION,
            POLICY_COMMIT,
            DECISION_ID,
            CODES);

    public static final String PREFIX = "Hallpass-";
    public static final Pattern DECISION_SHAPE = Pattern.compile("sha256:[0-9a-f]{64}");
    public static final Pattern DECISION_ID_SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    public static final Pattern SHA_SHAPE = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    public static final Pattern CODE_SHAPE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    private static final Pattern PR_SHAPE = Pattern.compile("[1-9][0-9]{0,9}");
    private static final String NONE = "-";

    public Trailers {
        Objects.requireNonNull(request);
        Objects.requireNonNull(action);
        Objects.requireNonNull(decision);
        Objects.requireNonNull(policyCommit);
        Objects.requireNonNull(decisionId);
        Objects.requireNonNull(pullRequest);
        Objects.requireNonNull(requester);
        Objects.requireNonNull(emergency);
        approvedBy = List.copyOf(approvedBy);
        Objects.requireNonNull(reviewer);
        Objects.requireNonNull(revokedBy);
        Objects.requireNonNull(expiresAt);
        codes = List.copyOf(codes);
        decision.ifPresent(d -> check(DECISION_SHAPE.matcher(d).matches(), DECISION, d));
        policyCommit.ifPresent(d -> check(SHA_SHAPE.matcher(d).matches(), POLICY_COMMIT, d));
        decisionId.ifPresent(d -> check(DECISION_ID_SHAPE.matcher(d).matches(), DECISION_ID, d));
        pullRequest.ifPresent(n -> check(n > 0, PULL_REQUEST, String.valueOf(n)));
        codes.forEach(c -> check(CODE_SHAPE.matcher(c).matches(), CODES, c));
        if (!approvedBy.isEmpty() && !approvedByPresent) {
            throw new IllegalArgumentException("approvedBy given but approvedByPresent is false");
        }
    }

    private static void check(boolean ok, String key, String value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + key + ": '" + value + "'");
        }
    }

    public static final Trailers NONE_AT_ALL = builder().build();

    public static Builder builder() {
        return new Builder();
    }

    /** True when the message carried no {@code Hallpass-*} trailer at all. */
    public boolean isEmpty() {
        return this.equals(NONE_AT_ALL);
    }

    /** The trailer block: one {@code Key: value} line per present field, in {@link #KEYS} order. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        request.ifPresent(v -> line(sb, REQUEST, v.value()));
        action.ifPresent(v -> line(sb, ACTION, v.word()));
        pullRequest.ifPresent(v -> line(sb, PULL_REQUEST, Integer.toString(v)));
        requester.ifPresent(v -> line(sb, REQUESTER, v.value()));
        emergency.ifPresent(v -> line(sb, EMERGENCY, v.toString()));
        if (approvedByPresent) {
            line(sb, APPROVED_BY, approvedBy.isEmpty() ? NONE : String.join(", ", logins(approvedBy)));
        }
        reviewer.ifPresent(v -> line(sb, REVIEWER, v.value()));
        revokedBy.ifPresent(v -> line(sb, REVOKED_BY, v.value()));
        expiresAt.ifPresent(v -> line(sb, EXPIRES_AT, rfc3339(v)));
        decision.ifPresent(v -> line(sb, DECISION, v));
        policyCommit.ifPresent(v -> line(sb, POLICY_COMMIT, v));
        decisionId.ifPresent(v -> line(sb, DECISION_ID, v));
        if (!codes.isEmpty()) {
            line(sb, CODES, String.join(", ", codes));
        }
        return sb.toString();
    }

    private static List<String> logins(List<Login> l) {
        return l.stream().map(Login::value).toList();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append(": ").append(value).append('\n');
    }

    /** RFC 3339 in UTC, to the second: the one spelling Hallpass writes, so the text compares exactly. */
    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The trailers parsed from a commit message and every problem with them. */
    public record Parsed(Trailers trailers, List<String> problems) {
        public Parsed {
            Objects.requireNonNull(trailers);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Parses the trailers of {@code message}: the {@code Hallpass-*} lines of its last paragraph. Never throws:
     * a malformed value, an unknown {@code Hallpass-} key, a repeated key or a {@code Hallpass-} line outside
     * the last paragraph is reported in {@link Parsed#problems()} and that field is left empty.
     */
    public static Parsed parse(String message) {
        List<String> problems = new ArrayList<>();
        String text = message == null ? "" : message;
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r\n", "\n");
        }
        text = text.strip();
        // The last paragraph starts after the last blank (or whitespace-only) line.
        String[] lines = text.split("\n", -1);
        int lastStart = lines.length;
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].isBlank()) {
                break;
            }
            lastStart = i;
        }
        if (lastStart == 0) {
            lastStart = lines.length; // a single paragraph is the title and body, never trailers
        }
        // A trailer-looking line elsewhere is suspicious: git itself would not read it as a trailer.
        for (int i = 0; i < lastStart; i++) {
            if (lines[i].startsWith(PREFIX) && key(lines[i]) != null) {
                problems.add("'" + printable(lines[i]) + "' is not in the trailer block (the last paragraph)");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (int i = lastStart; i < lines.length; i++) {
            String l = lines[i];
            if (!l.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                continue;
            }
            String key = key(l);
            if (key == null) {
                problems.add("malformed trailer line '" + printable(l) + "'");
                continue;
            }
            String value = l.substring(key.length() + 1).strip();
            if (!KEYS.contains(key)) {
                problems.add("unknown trailer '" + printable(key) + "'");
                continue;
            }
            if (values.containsKey(key)) {
                repeated.add(key);
            }
            values.put(key, value);
        }
        for (String key : repeated) {
            problems.add("trailer " + key + " is repeated; none of its values is trusted");
            values.remove(key);
        }
        Builder b = builder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            try {
                b.set(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                problems.add("malformed trailer " + e.getKey() + ": '" + printable(e.getValue()) + "' ("
                        + ex.getMessage() + ")");
            }
        }
        return new Parsed(b.build(), problems);
    }

    /** The key of a {@code Key: value} line (letters, digits, inner hyphens), or null. */
    private static String key(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
            if (!ok) {
                return null;
            }
        }
        return line.substring(0, colon);
    }

    static String printable(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        StringBuilder sb = new StringBuilder();
        t.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp > 0x7e && !Character.isLetterOrDigit(cp))) {
                sb.append(String.format("\\u{%x}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** Builds trailers field by field; values are checked as they are set. */
    public static final class Builder {
        private RequestId request;
        private AuditAction action;
        private String decision;
        private String policyCommit;
        private String decisionId;
        private Integer pullRequest;
        private Login requester;
        private Boolean emergency;
        private boolean approvedByPresent;
        private List<Login> approvedBy = List.of();
        private Login reviewer;
        private Login revokedBy;
        private Instant expiresAt;
        private List<String> codes = List.of();

        private Builder() {}

        public Builder request(RequestId v) {
            request = v;
            return this;
        }

        public Builder action(AuditAction v) {
            action = v;
            return this;
        }

        /** {@code sha256:<64 lowercase hex>}, see {@link DecisionStamp#digest}. */
        public Builder decision(String v) {
            check(v == null || DECISION_SHAPE.matcher(v).matches(), DECISION, v);
            decision = v;
            return this;
        }

        public Builder policyCommit(String v) {
            check(v == null || SHA_SHAPE.matcher(v).matches(), POLICY_COMMIT, v);
            policyCommit = v;
            return this;
        }

        public Builder decisionId(String v) {
            check(v == null || DECISION_ID_SHAPE.matcher(v).matches(), DECISION_ID, v);
            decisionId = v;
            return this;
        }

        public Builder pullRequest(int v) {
            check(v > 0, PULL_REQUEST, String.valueOf(v));
            pullRequest = v;
            return this;
        }

        public Builder requester(Login v) {
            requester = v;
            return this;
        }

        public Builder emergency(boolean v) {
            emergency = v;
            return this;
        }

        /** The approvers before merge; an empty list is written {@code -} (none), not omitted. */
        public Builder approvedBy(List<Login> v) {
            approvedByPresent = true;
            approvedBy = List.copyOf(v);
            return this;
        }

        public Builder reviewer(Login v) {
            reviewer = v;
            return this;
        }

        public Builder revokedBy(Login v) {
            revokedBy = v;
            return this;
        }

        public Builder expiresAt(Instant v) {
            expiresAt = v == null ? null : v.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        public Builder codes(List<String> v) {
            v.forEach(c -> check(CODE_SHAPE.matcher(c).matches(), CODES, c));
            codes = List.copyOf(v);
            return this;
        }

        void set(String key, String value) {
            try {
                switch (key) {
                    case REQUEST -> request(new RequestId(value));
                    case ACTION -> action(AuditAction.of(value)
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "not one of grant, extend, revoke, expire, attest, reject")));
                    case DECISION -> decision(value);
                    case POLICY_COMMIT -> policyCommit(value);
                    case DECISION_ID -> decisionId(value);
                    case PULL_REQUEST -> {
                        check(PR_SHAPE.matcher(value).matches(), PULL_REQUEST, value);
                        pullRequest(Integer.parseInt(value));
                    }
                    case REQUESTER -> requester(strictLogin(value));
                    case EMERGENCY -> {
                        check(value.equals("true") || value.equals("false"), EMERGENCY, value);
                        emergency(Boolean.parseBoolean(value));
                    }
                    case APPROVED_BY -> approvedBy(
                            value.equals(NONE)
                                    ? List.of()
                                    : list(value).stream()
                                            .map(Builder::strictLogin)
                                            .toList());
                    case REVIEWER -> reviewer(strictLogin(value));
                    case REVOKED_BY -> revokedBy(strictLogin(value));
                    case EXPIRES_AT -> expiresAt(instant(value));
                    case CODES -> codes(list(value));
                    default -> throw new IllegalArgumentException("unknown trailer");
                }
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number", e);
            }
        }

        /** A login as written by Hallpass: lowercase already, so a case-changed copy is a finding. */
        private static Login strictLogin(String v) {
            Login l = new Login(v);
            check(l.value().equals(v), "login", v);
            return l;
        }

        private static List<String> list(String value) {
            List<String> out = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                String p = part.strip();
                check(!p.isEmpty(), "list", value);
                check(!out.contains(p), "list (duplicate " + p + ")", value);
                out.add(p);
            }
            return out;
        }

        private static Instant instant(String v) {
            // The form Hallpass writes, parsed by hand: DateTimeFormatter is slow over 100 000 commits.
            if (v.length() == 20
                    && v.charAt(4) == '-'
                    && v.charAt(7) == '-'
                    && v.charAt(10) == 'T'
                    && v.charAt(13) == ':'
                    && v.charAt(16) == ':'
                    && v.charAt(19) == 'Z') {
                try {
                    return java.time.LocalDateTime.of(
                                    num(v, 0, 4),
                                    num(v, 5, 7),
                                    num(v, 8, 10),
                                    num(v, 11, 13),
                                    num(v, 14, 16),
                                    num(v, 17, 19))
                            .toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.DateTimeException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an RFC 3339 time");
                }
            }
            try {
                Instant t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v, Instant::from);
                return t;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an RFC 3339 time");
            }
        }

        private static int num(String v, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("not a digit");
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }

        public Trailers build() {
            return new Trailers(
                    Optional.ofNullable(request),
                    Optional.ofNullable(action),
                    Optional.ofNullable(decision),
                    Optional.ofNullable(policyCommit),
                    Optional.ofNullable(decisionId),
                    pullRequest == null ? OptionalInt.empty() : OptionalInt.of(pullRequest),
                    Optional.ofNullable(requester),
                    Optional.ofNullable(emergency),
                    approvedByPresent,
                    approvedBy,
                    Optional.ofNullable(reviewer),
                    Optional.ofNullable(revokedBy),
                    Optional.ofNullable(expiresAt),
                    codes);
        }
    }
}
