package dev.hallpass.cli;

import dev.hallpass.demo.Demo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hallpass demo}: the 2 a.m. incident, played and verified end to end on this machine. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Play the 2 a.m. incident end to end, offline: a local GitHub stand-in, a real PostgreSQL and hallpass serve.",
            "Exit 0 only if every step was verified; 1 naming the failed step otherwise."
        })
public final class DemoCommand implements Callable<Integer> {
    /** zonky's PostgreSQL for this platform; only hallpass-demo.jar carries it. */
    static final String POSTGRES_BINARIES = "postgres-linux-x86_64.txz";

    @Spec
    CommandSpec spec;

    @Option(names = "--keep-running", description = "Leave the servers up afterwards, with their URLs printed.")
    boolean keepRunning;

    @Option(
            names = "--grant",
            defaultValue = "20",
            description = "How long the emergency grant lasts, in seconds (default: ${DEFAULT-VALUE}).")
    int grantSeconds;

    @Override
    public Integer call() throws Exception {
        // The demo's own lines tell the story; the servers' request logs would drown them.
        if (System.getProperty("hallpass.log.level") == null && System.getenv("HALLPASS_LOG_LEVEL") == null) {
            dev.hallpass.observe.Logs.level("warn");
        }
        if (grantSeconds < 5 || grantSeconds > 3600) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--grant must be between 5 and 3600 seconds");
        }
        if (DemoCommand.class.getClassLoader().getResource(POSTGRES_BINARIES) == null) {
            // hallpass.jar is the server's jar and leaves the 15 MB of PostgreSQL binaries out.
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "the demo starts its own PostgreSQL, whose binaries are in hallpass-demo.jar: run"
                            + " java -jar bot/target/hallpass-demo.jar demo");
        }
        return new Demo(spec.commandLine().getOut(), Duration.ofSeconds(grantSeconds)).run(keepRunning);
    }
}
