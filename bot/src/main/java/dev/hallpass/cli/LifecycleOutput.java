package dev.hallpass.cli;

import dev.hallpass.grant.Attempt;
import dev.hallpass.grant.ExecutionResult;
import dev.hallpass.lifecycle.GrantLifecycle;
import dev.hallpass.request.Problem;
import java.io.PrintWriter;

/** Plain-text reports of lifecycle runs, for people and CI logs. */
final class LifecycleOutput {
    private LifecycleOutput() {}

    static void print(PrintWriter out, GrantLifecycle.SyncReport r, boolean dryRun) {
        out.println((dryRun ? "[dry run] " : "") + "at " + r.at() + ", default branch at "
                + r.headSha().map(s -> s.substring(0, 7)).orElse("?"));
        for (Problem p : r.problems()) {
            out.println("  not granted: " + p.format());
        }
        if (r.reconcile().results().isEmpty()) {
            out.println("  targets already match git");
        }
        for (ExecutionResult x : r.reconcile().results()) {
            Attempt last = x.attempts().get(x.attempts().size() - 1);
            out.println("  " + x.action().wire() + " " + x.grant().requestId() + " ("
                    + x.grant().key() + "): "
                    + (x.ok() ? "ok" : "FAILED") + ", " + last.outcome().summary()
                    + (x.attempts().size() > 1 ? " after " + x.attempts().size() + " attempts" : ""));
        }
        for (var g : r.revertsDue()) {
            out.println("  expired, file still on the default branch: " + g.requestId() + " (expired " + g.expiresAt()
                    + ")");
        }
        for (GrantLifecycle.PullRequestStep s : r.pullRequests()) {
            out.println("  " + s.kind() + " " + s.request() + ": #" + s.number() + " "
                    + (s.merged() ? "merged" : "not merged: " + s.note()));
        }
        r.nextChange().ifPresent(t -> out.println("  next start or expiry: " + t));
        out.flush();
    }
}
