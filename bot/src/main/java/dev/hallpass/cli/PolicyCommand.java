package dev.hallpass.cli;

import dev.hallpass.policy.rego.conformance.ConformanceRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallpass policy ...}: the embedded Rego engine's tools. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Evaluate, test and check Rego policies with the embedded engine.",
        subcommands = {PolicyCommand.Conformance.class, PolicyEvalCommand.class, PolicyTestCommand.class})
public final class PolicyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "conformance", mixinStandardHelpOptions = true, description = "Run OPA's YAML conformance cases.")
    static final class Conformance implements Callable<Integer> {
        @Parameters(index = "0", description = "Directory of conformance cases (or its parent).")
        Path dir;

        @Option(names = "--min-pass-rate", defaultValue = "0.95", description = "Exit 0 at or above this pass rate.")
        double minPassRate;

        @Option(names = "--categories", description = "Print pass counts per category.")
        boolean categories;

        @Override
        public Integer call() throws Exception {
            ConformanceRunner.Report r = new ConformanceRunner().run(dir);
            for (ConformanceRunner.Failure f : r.failures()) {
                System.out.println(f);
            }
            if (categories) {
                for (Map.Entry<String, int[]> e : new TreeMap<>(r.categories()).entrySet()) {
                    int[] c = e.getValue();
                    System.out.printf("%-28s %4d passed %4d failed %4d skipped%n", e.getKey(), c[0], c[1], c[2]);
                }
            }
            if (r.missingBuiltins() > 0) {
                System.out.println(
                        "(" + r.missingBuiltins() + " of the failures need built-in functions this build lacks)");
            }
            System.out.println(r.passed() + " passed, " + r.failed() + " failed, " + r.skipped() + " skipped");
            return r.passRate() >= minPassRate ? 0 : 1;
        }
    }
}
