package dev.hallpass.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hallpass bench}: figures for the documentation, measured on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure Hallpass on this machine.",
        subcommands = {LifecycleBenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
