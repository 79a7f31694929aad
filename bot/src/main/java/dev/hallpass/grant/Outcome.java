package dev.hallpass.grant;

import java.util.Objects;

/**
 * What one provider call did, for the audit.
 *
 * @param ok whether the call succeeded; a failure is retried by the executor and reported, never dropped
 * @param noOp whether nothing needed doing (already applied, already absent, or a dry run)
 * @param summary one line saying what was (or, in a dry run, would be) done
 * @param output longer text for the audit: statements run, a command's output; never secrets
 */
public record Outcome(Action action, boolean ok, boolean noOp, boolean dryRun, String summary, String output) {
    public Outcome {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(summary, "summary");
        output = output == null ? "" : output;
    }

    public static Outcome done(Action action, String summary, String output) {
        return new Outcome(action, true, false, false, summary, output);
    }

    public static Outcome noOp(Action action, String summary, String output) {
        return new Outcome(action, true, true, false, summary, output);
    }

    /** A dry run: nothing changed; {@code summary} says what would have been done. */
    public static Outcome dryRun(Action action, String summary, String output) {
        return new Outcome(action, true, true, true, summary, output);
    }

    public static Outcome failed(Action action, String summary, String output) {
        return new Outcome(action, false, false, false, summary, output);
    }
}
