package dev.hallpass.cli;

import dev.hallpass.lifecycle.GrantLifecycle;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hallpass apply}: after a push to the default branch, make the targets match what git grants. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Apply what the default branch grants and revoke what it no longer grants (a push to the default branch).",
            "Exit 0: targets match git; 1: a provider call failed (kept for the next run); 2: usage error."
        })
public final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LifecycleOptions options;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Repository git = options.open()) {
            GrantLifecycle lifecycle = options.wire(git, clock).lifecycle();
            // apply never touches GitHub's pull requests: reverts are expire's job.
            GrantLifecycle.SyncReport r = lifecycle.syncWithoutReverts();
            LifecycleOutput.print(spec.commandLine().getOut(), r, options.dryRun);
            return r.ok() ? 0 : 1;
        }
    }
}
