package dev.hallpass.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.EmbeddedRegoEngine;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PolicyResult;
import dev.hallpass.policy.PullRequestFacts;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.RoleName;
import dev.hallpass.request.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One access decision with a 10,000-role catalog: the input is built per decision as the evaluator does
 * (request, pull request, catalog), over a base loaded once, as for one base commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyCatalogBenchmark {
    public static final int ROLES = 10_000;

    private EmbeddedRegoEngine engine;
    private AccessRepo base;
    private Optional<RequestParser.Parsed> parsed;
    private Problems problems;
    private PullRequestFacts pr;

    @Setup
    public void setUp() {
        engine = EmbeddedRegoEngine.compile(EmbeddedPolicySource.bundledPolicies());
        base = withRoles(new AccessRepoLoader().loadConfig(BenchInputs.template()), ROLES);
        problems = new Problems();
        parsed = new AccessRepoLoader()
                .parseRequest(
                        base,
                        new SourceFile(
                                "requests/inc-4211-orders.yaml",
                                BenchInputs.EMERGENCY.getBytes(StandardCharsets.UTF_8)),
                        problems);
        pr = new PullRequestFacts(
                42,
                "alice",
                false,
                "a".repeat(40),
                "b".repeat(40),
                List.of(new PullRequestFacts.ChangedFile("requests/inc-4211-orders.yaml", "added", Optional.empty())),
                List.of());
        if (!(decide() instanceof PolicyResult.Defined d)
                || !d.value().path("auto_merge").asBoolean()) {
            throw new IllegalStateException("the benchmark input must be an allowed emergency: " + decide());
        }
    }

    @Benchmark
    public PolicyResult decide() {
        ObjectNode input = PolicyInput.build(
                base,
                pr,
                parsed,
                Optional.empty(),
                problems.sorted(),
                PolicyInput.State.empty(),
                BenchInputs.ON_CALL_TIME);
        return engine.evaluate(AccessEvaluator.DECISION_PATH, input);
    }

    /**
     * The base with {@code n} more roles, copies of db-readonly: built as records because the YAML reader
     * caps a configuration file well below 10,000 roles.
     */
    static AccessRepo withRoles(AccessRepo base, int n) {
        Catalog catalog = base.catalog().orElseThrow();
        Catalog.Role model = catalog.roles().get(new RoleName("db-readonly"));
        Map<RoleName, Catalog.Role> roles = new LinkedHashMap<>(catalog.roles());
        for (int i = 0; i < n; i++) {
            RoleName name = new RoleName("svc-" + i);
            roles.put(
                    name,
                    new Catalog.Role(
                            name,
                            "Generated role " + i,
                            model.maxDuration(),
                            false,
                            model.eligible(),
                            model.delegates(),
                            model.environments()));
        }
        return new AccessRepo(
                base.source(),
                base.settings(),
                Optional.of(new Catalog(roles, catalog.groups())),
                base.onCall(),
                base.requests(),
                base.problems());
    }
}
