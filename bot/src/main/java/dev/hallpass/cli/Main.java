package dev.hallpass.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hallpass} command. */
@Command(
        name = "hallpass",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Temporary, audited production access through pull requests.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ValidateCommand.class,
            EvaluateCommand.class,
            PolicyCommand.class,
            ApplyCommand.class,
            ExpireCommand.class,
            ReconcileCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            AuditCommand.class,
            BenchCommand.class,
            ActionCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs the CLI with {@code env} as the environment that option defaults are read from. */
    static int run(java.util.Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // serve runs in containers: each of its options may come from a HALLPASS_* variable too.
        cli.getSubcommands().get("serve").setDefaultValueProvider(new EnvDefaults(env));
        // No stack traces for people: one line naming the problem, exit 2 as for a usage error.
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("hallpass: " + describe(ex));
            line.getErr().flush();
            return 2;
        });
        return cli.execute(args);
    }

    static String describe(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank()
                ? t.getClass().getSimpleName()
                : msg.lines().findFirst().orElse(msg);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
