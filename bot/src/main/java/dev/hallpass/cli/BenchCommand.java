package dev.hallpass.cli;

import dev.hallpass.bench.AuditBench;
import dev.hallpass.bench.BenchTable;
import dev.hallpass.bench.HaBench;
import dev.hallpass.bench.LifecycleBench;
import dev.hallpass.bench.PolicyBench;
import dev.hallpass.bench.ServeBench;
import dev.hallpass.bot.AuditedMergeMessages;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hallpass bench}: the performance figures, measured here and printed as one Markdown table. For
 * people and the README; never a test.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Hallpass and print the performance table.",
            "Areas: policy (load, decision p99 with JMH, conformance), serve (webhook answer, emergency merge, API calls),",
            "lifecycle (revocation lag, sweep of 10 000 grants), audit (100 000 commits),",
            "ha (revoke lag after the leader of three serve processes is killed). Without an area, all of them."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--area", split = ",", description = "policy, serve, lifecycle, audit, ha (default: all)")
    String[] areas = {"policy", "serve", "lifecycle", "audit", "ha"};

    @Option(
            names = "--quick",
            description = "Fewer iterations and a smaller audit history: a smoke run, not the figures.")
    boolean quick;

    @Option(
            names = "--conformance",
            description = "OPA conformance cases (default: ../shared/rego-conformance/cases when present)")
    Path conformance;

    @Option(names = "--audit-commits", description = "Commits in the synthetic audit history (default 100000)")
    Integer auditCommits;

    @Option(names = "--audit-requests", description = "Requests in the synthetic audit history (default 20000)")
    Integer auditRequests;

    @Override
    public Integer call() throws Exception {
        BenchTable table = new BenchTable();
        for (String area : areas) {
            switch (area) {
                case "policy" -> PolicyBench.run(table, conformanceDir(), quick);
                case "serve" -> ServeBench.run(
                        table, new AuditedMergeMessages(Clock.systemUTC(), id -> Optional.empty()), quick);
                case "lifecycle" -> LifecycleBench.run(table, quick ? 20 : 50, 10_000);
                case "audit" -> AuditBench.run(
                        table,
                        Optional.ofNullable(auditCommits).orElse(quick ? 10_000 : 100_000),
                        Optional.ofNullable(auditRequests).orElse(quick ? 2_000 : 20_000),
                        null);
                case "ha" -> HaBench.run(table);
                default -> throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "unknown area: " + area);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        table.print(out);
        out.printf(
                Locale.ROOT,
                "%n%d cores, load average %.1f, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"));
        out.flush();
        return table.allMet() ? 0 : 1;
    }

    private Path conformanceDir() {
        if (conformance != null) {
            return conformance;
        }
        for (String candidate : new String[] {"../shared/rego-conformance/cases", "shared/rego-conformance/cases"}) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
