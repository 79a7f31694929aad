package dev.hallpass.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hallpass policy test}. */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run Rego tests.")
final class PolicyTestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
