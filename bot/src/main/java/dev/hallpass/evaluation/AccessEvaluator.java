package dev.hallpass.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.policy.Decision;
import dev.hallpass.policy.PolicyEngine;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PolicyResult;
import dev.hallpass.policy.PolicySource;
import dev.hallpass.policy.PullRequestFacts;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Problem;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RepoTree;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.SourceFile;
import dev.hallpass.request.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates an access pull request: the configuration (settings, catalog, on-call, policies) is read at
 * the base commit, only the request file at the head commit. Fails closed: a broken base configuration,
 * an unreadable file or a policy engine that errs gives a denying decision that says why.
 */
public final class AccessEvaluator {
    public static final String DECISION_PATH = "hallpass/access/decision";

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final PolicySource policies;
    private final Clock clock;
    private final AccessRepoLoader loader = new AccessRepoLoader();

    public AccessEvaluator(PolicySource policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    public Evaluation evaluate(RepoTree base, RepoTree head, PullRequestFacts pr, PolicyInput.State state) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        AccessRepo baseRepo = loader.loadConfig(base);
        Problems problems = new Problems();
        Optional<RequestParser.Parsed> parsed = Optional.empty();
        Optional<AccessRequest> previous = Optional.empty();
        List<AccessRequest> removed = new ArrayList<>();
        Map<String, Optional<AccessRequest>> removedByPath = new LinkedHashMap<>();
        String readError = null;
        for (PullRequestFacts.ChangedFile f : pr.files()) {
            if (!isRequestArea(f.path())) {
                continue;
            }
            try {
                if (f.status().equals("removed")) {
                    Optional<AccessRequest> was = read(base, f.path(), new Problems())
                            .flatMap(file -> new RequestParser().parse(file, new Problems()))
                            .flatMap(RequestParser.Parsed::request);
                    was.ifPresent(removed::add);
                    // The policy needs whose grant it was to say who may end it early.
                    removedByPath.put(f.path(), was);
                    continue;
                }
                Optional<RequestParser.Parsed> p =
                        read(head, f.path(), problems).flatMap(file -> loader.parseRequest(baseRepo, file, problems));
                if (parsed.isEmpty()) {
                    parsed = p;
                }
                if (f.status().equals("modified")) {
                    previous = read(base, f.path(), new Problems())
                            .flatMap(file -> new RequestParser().parse(file, new Problems()))
                            .flatMap(RequestParser.Parsed::request);
                }
            } catch (IOException e) {
                readError = f.path() + ": " + e.getMessage();
            }
        }
        List<Problem> found = problems.sorted();
        ObjectNode input = PolicyInput.build(baseRepo, pr, parsed, previous, removedByPath, found, state, now);
        Verdict verdict;
        if (!baseRepo.isClean()) {
            // Someone merged a broken configuration: judge nothing until it is fixed.
            verdict = new Verdict(
                    Decision.failClosed(
                            "config.invalid",
                            "the access repository's configuration at the base commit has "
                                    + baseRepo.problems().size() + " problem(s); first: "
                                    + baseRepo.problems().get(0).format()),
                    "none",
                    Optional.empty());
            found = concat(found, baseRepo.problems());
        } else if (readError != null) {
            verdict = new Verdict(
                    Decision.failClosed("repo.read_error", "cannot read " + readError), "none", Optional.empty());
        } else {
            verdict = decide(base, input);
        }
        return new Evaluation(
                verdict.decision(),
                parsed.flatMap(RequestParser.Parsed::request),
                previous,
                removed,
                found,
                input,
                verdict.engine(),
                verdict.decisionId(),
                Duration.ofNanos(System.nanoTime() - started),
                digest(input, verdict.decision()));
    }

    /** Files under requests/ that are not documentation: anything there is judged as a request. */
    static boolean isRequestArea(String path) {
        return path.startsWith(RequestId.DIRECTORY)
                && !path.startsWith(AccessRepoLoader.EXAMPLES)
                && !path.equals(RequestId.DIRECTORY + "README.md");
    }

    private record Verdict(Decision decision, String engine, Optional<String> decisionId) {}

    private Verdict decide(RepoTree base, JsonNode input) {
        PolicyEngine engine;
        try {
            engine = policies.engineFor(base);
        } catch (RuntimeException e) {
            return new Verdict(
                    Decision.failClosed("policy.unavailable", "cannot load the policies: " + e.getMessage()),
                    "none",
                    Optional.empty());
        }
        PolicyResult result = engine.evaluate(DECISION_PATH, input);
        Decision decision;
        if (result instanceof PolicyResult.Defined d) {
            decision = Decision.fromJson(d.value());
        } else if (result instanceof PolicyResult.Undefined) {
            decision = Decision.failClosed(
                    "policy.undefined", "the policy gave no decision for data.hallpass.access.decision");
        } else {
            PolicyResult.Failed f = (PolicyResult.Failed) result;
            decision = Decision.failClosed(
                    "policy." + f.kind().name().toLowerCase(java.util.Locale.ROOT),
                    engine.describe() + ": " + f.describe());
        }
        return new Verdict(decision, engine.describe(), result.decisionId());
    }

    private static Optional<SourceFile> read(RepoTree tree, String path, Problems problems) throws IOException {
        Optional<byte[]> bytes = tree.read(path, YamlReader.REQUEST_MAX_BYTES);
        if (bytes.isEmpty()) {
            problems.add(new Problem(path, 1, 1, "request.path.not_regular_file", "not a regular file at this commit"));
            return Optional.empty();
        }
        return Optional.of(new SourceFile(path, bytes.get()));
    }

    private static List<Problem> concat(List<Problem> a, List<Problem> b) {
        List<Problem> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** SHA-256 of the canonical JSON of input and decision: the {@code Hallpass-Decision} trailer. */
    static String digest(JsonNode input, Decision decision) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Object canonicalInput = CANONICAL.treeToValue(input, Object.class);
            sha.update(CANONICAL.writeValueAsString(canonicalInput).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            Object canonicalDecision = CANONICAL.treeToValue(decision.toJson(), Object.class);
            sha.update(CANONICAL.writeValueAsString(canonicalDecision).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serialise the decision", e);
        }
    }
}
