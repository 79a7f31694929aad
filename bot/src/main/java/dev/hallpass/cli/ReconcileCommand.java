package dev.hallpass.cli;

import dev.hallpass.grant.GrantLedger;
import dev.hallpass.lifecycle.DriftCheck;
import dev.hallpass.lifecycle.GrantSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hallpass reconcile}: compare git with what the targets really hold, and repair Hallpass's own drift. */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Compare the access git grants with what each target holds (provider verify): missing access, access"
                    + " left behind, access held without a grant. Repairs the first two unless --dry-run; access"
                    + " held without a grant is reported for a person to judge.",
            "Exit 0: no drift (left); 1: drift found (dry run) or left after the repair; 2: usage error."
        })
public final class ReconcileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LifecycleOptions options;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemUTC();
        try (Repository git = options.open()) {
            LifecycleOptions.Wiring w = options.wire(git, clock);
            GrantSource.Snapshot s = w.source().snapshot();
            GrantLedger ledger = GrantLedger.of(s.grants(), clock);
            Instant now = clock.instant();
            // verify is read-only, so a dry run checks the real targets, not dry-run wrappers.
            DriftCheck check = new DriftCheck(w.providers(), w.applied());
            DriftCheck.Report r = options.dryRun
                    ? check.find(ledger, s.catalog(), now)
                    : check.repair(ledger, s.catalog(), w.executor(), now);
            PrintWriter out = spec.commandLine().getOut();
            out.println((options.dryRun ? "[dry run] " : "") + s.grants().size() + " grant(s) in git at "
                    + s.headSha().substring(0, 7));
            r.repair().ifPresent(rep -> rep.results()
                    .forEach(x -> out.println(
                            "  repaired: " + x.action().wire() + " " + x.grant().key() + ": "
                                    + (x.ok() ? "ok" : "FAILED " + x.outcome().summary()))));
            for (DriftCheck.Drift d : r.drift()) {
                out.println("  drift " + d.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + d.key() + ": "
                        + d.detail());
            }
            for (var k : r.unknown()) {
                out.println("  unknown: " + k + " (the provider cannot tell)");
            }
            if (r.drift().isEmpty()) {
                out.println("  no drift");
            }
            out.flush();
            return r.drift().isEmpty() ? 0 : 1;
        }
    }
}
