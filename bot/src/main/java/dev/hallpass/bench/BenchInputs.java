package dev.hallpass.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.demo.LocalStack;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PullRequestFacts;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RepoTree;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.SourceFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Realistic policy inputs for benchmarks: the template's catalog and an on-call engineer's emergency. */
public final class BenchInputs {
    /** Tuesday 3 November 2026, 10:00 UTC: alice is on call in the template's rotation. */
    public static final Instant ON_CALL_TIME = Instant.parse("2026-11-03T10:00:00Z");

    public static final String EMERGENCY =
            """
            apiVersion: hallpass/v1
            kind: AccessRequest
            requester: alice
            role: db-admin
            environment: prod-eu
            duration: 2h
            reason: "INC-4211: kill blocking queries on the orders database"
            emergency: true
            incident: INC-4211
            """;

    private BenchInputs() {}

    /** The template as a tree in memory. */
    public static RepoTree template() {
        Map<String, String> files = LocalStack.template();
        return new RepoTree() {
            @Override
            public String describe() {
                return "template";
            }

            @Override
            public Optional<byte[]> read(String path, int limit) {
                return Optional.ofNullable(files.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public List<Entry> list(String dir) {
                return files.keySet().stream()
                        .filter(p -> p.startsWith(dir))
                        .sorted()
                        .map(p -> new Entry(p, Kind.FILE))
                        .toList();
            }
        };
    }

    /** The decision input for alice's emergency request, as the evaluator builds it. */
    public static ObjectNode emergencyInput() {
        AccessRepo base = new AccessRepoLoader().loadConfig(template());
        Problems problems = new Problems();
        Optional<RequestParser.Parsed> parsed = new AccessRepoLoader()
                .parseRequest(
                        base,
                        new SourceFile("requests/inc-4211-orders.yaml", EMERGENCY.getBytes(StandardCharsets.UTF_8)),
                        problems);
        PullRequestFacts pr = new PullRequestFacts(
                42,
                "alice",
                false,
                "a".repeat(40),
                "b".repeat(40),
                List.of(new PullRequestFacts.ChangedFile("requests/inc-4211-orders.yaml", "added", Optional.empty())),
                List.of());
        return PolicyInput.build(
                base, pr, parsed, Optional.empty(), problems.sorted(), PolicyInput.State.empty(), ON_CALL_TIME);
    }
}
