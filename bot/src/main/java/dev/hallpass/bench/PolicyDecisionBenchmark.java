package dev.hallpass.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.EmbeddedRegoEngine;
import dev.hallpass.policy.PolicyResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One access decision over the shipped policies, after they are loaded: OPA's 1 ms budget applies. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyDecisionBenchmark {
    private EmbeddedRegoEngine engine;
    private JsonNode input;

    @Setup
    public void setUp() {
        engine = EmbeddedRegoEngine.compile(EmbeddedPolicySource.bundledPolicies());
        input = BenchInputs.emergencyInput();
        if (!(engine.evaluate(AccessEvaluator.DECISION_PATH, input) instanceof PolicyResult.Defined d)
                || !d.value().path("auto_merge").asBoolean()) {
            throw new IllegalStateException("the benchmark input must be an allowed emergency");
        }
    }

    @Benchmark
    public PolicyResult decide() {
        return engine.evaluate(AccessEvaluator.DECISION_PATH, input);
    }
}
