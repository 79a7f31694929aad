package dev.hallpass.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hallpass} command. */
@Command(
        name = "hallpass",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Temporary, audited production access through pull requests.",
        subcommands = {CommandLine.HelpCommand.class, PolicyCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
