package dev.hallpass.cli;

import dev.hallpass.lifecycle.GrantLifecycle;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hallpass expire}: on a schedule, revoke what is due and remove expired request files. */
@Command(
        name = "expire",
        mixinStandardHelpOptions = true,
        description = {
            "Revoke access that has expired and, with --github-repo, open and merge a revert pull request deleting"
                    + " each expired request file.",
            "Exit 0: done; 1: a revoke failed or a revert could not merge (retried next run); 2: usage error."
        })
public final class ExpireCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LifecycleOptions options;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Repository git = options.open()) {
            GrantLifecycle.SyncReport r = options.wire(git, clock).lifecycle().sync();
            LifecycleOutput.print(spec.commandLine().getOut(), r, options.dryRun);
            boolean revertsOk = r.pullRequests().stream().allMatch(GrantLifecycle.PullRequestStep::merged);
            return r.ok() && revertsOk ? 0 : 1;
        }
    }
}
