package dev.hallpass.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hallpass policy eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a Rego query.")
final class PolicyEvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
