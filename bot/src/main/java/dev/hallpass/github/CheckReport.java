package dev.hallpass.github;

import java.util.Locale;
import java.util.Objects;

/** The outcome the bot publishes as its check run. GitHub caps title/summary/text; we fail early instead of 422. */
public record CheckReport(Conclusion conclusion, String title, String summary, String text) {
    /** The check run name; one run per head sha carries it. */
    public static final String CHECK_NAME = "hallpass";

    static final int MAX_OUTPUT_CHARS = 65_535;

    public enum Conclusion {
        SUCCESS,
        FAILURE,
        NEUTRAL,
        ACTION_REQUIRED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CheckReport {
        Objects.requireNonNull(conclusion, "conclusion");
        Objects.requireNonNull(title, "title");
        if (title.isBlank()) {
            throw new IllegalArgumentException("check title is blank");
        }
        Objects.requireNonNull(summary, "summary");
        text = text == null ? "" : text;
        if (summary.length() > MAX_OUTPUT_CHARS || text.length() > MAX_OUTPUT_CHARS) {
            throw new IllegalArgumentException("check output exceeds GitHub's 65535 character limit");
        }
    }
}
