package dev.hallpass.bench;

import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.EmbeddedRegoEngine;
import dev.hallpass.policy.rego.conformance.ConformanceRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Policy figures: loading the shipped policies, one decision (JMH, p99), and the conformance suite. */
public final class PolicyBench {
    private PolicyBench() {}

    public static void run(BenchTable table, Path conformanceDir, boolean quick) throws IOException, RunnerException {
        long t0 = System.nanoTime();
        Map<String, String> modules = EmbeddedPolicySource.bundledPolicies();
        EmbeddedRegoEngine.compile(modules);
        double firstLoad = (System.nanoTime() - t0) / 1e6;
        table.add(
                "policy",
                "load + compile shipped policies (first, cold JVM)",
                BenchTable.ms(firstLoad),
                "< 500 ms",
                firstLoad < 500);

        var stats = sample(PolicyDecisionBenchmark.class, quick);
        double p50 = stats.getPercentile(50) / 1000.0;
        double p99 = stats.getPercentile(99) / 1000.0;
        table.add(
                "policy",
                "access decision, p50 (JMH SampleTime, " + stats.getN() + " samples)",
                BenchTable.ms(p50),
                "",
                null);
        table.add("policy", "access decision, p99", BenchTable.ms(p99), "≤ 1 ms", p99 <= 1.0);

        var bigStats = sample(PolicyCatalogBenchmark.class, quick);
        double bigP50 = bigStats.getPercentile(50) / 1000.0;
        double bigP99 = bigStats.getPercentile(99) / 1000.0;
        String roles = String.format(Locale.ROOT, "%,d", PolicyCatalogBenchmark.ROLES);
        table.add(
                "policy",
                "access decision with a " + roles + "-role catalog (input built per decision), p50",
                BenchTable.ms(bigP50),
                "",
                null);
        table.add(
                "policy",
                "access decision with a " + roles + "-role catalog, p99",
                BenchTable.ms(bigP99),
                "≤ 1 ms",
                bigP99 <= 1.0);

        if (conformanceDir != null && Files.isDirectory(conformanceDir)) {
            long c0 = System.nanoTime();
            ConformanceRunner.Report report = new ConformanceRunner().run(conformanceDir);
            double seconds = (System.nanoTime() - c0) / 1e9;
            table.add(
                    "policy",
                    String.format(
                            Locale.ROOT,
                            "OPA conformance suite (%d passed, %d failed, %d skipped)",
                            report.passed(),
                            report.failed(),
                            report.skipped()),
                    String.format(Locale.ROOT, "%.1f s, %.1f%% pass", seconds, report.passRate() * 100),
                    "< 30 s, ≥ 95%",
                    seconds < 30 && report.passRate() >= 0.95);
        }
    }

    /** Runs one JMH SampleTime benchmark in a fork of its own; its latency distribution, in microseconds. */
    private static org.openjdk.jmh.util.Statistics sample(Class<?> benchmark, boolean quick) throws RunnerException {
        OptionsBuilder opts = new OptionsBuilder();
        opts.include(benchmark.getName())
                .forks(1)
                .warmupIterations(quick ? 2 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(opts.build()).run();
        return results.iterator().next().getPrimaryResult().getStatistics();
    }
}
