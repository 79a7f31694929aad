package dev.hallpass.request;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a file of the access repository, reported like a compiler error.
 *
 * @param file path relative to the repository root, with forward slashes
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 when unknown
 * @param code stable, dotted code such as {@code request.unknown_field}; tooling and policies key on it
 * @param message one line for a person
 */
public record Problem(String file, int line, int column, String code, String message) {

    public static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
            .thenComparingInt(Problem::line)
            .thenComparingInt(Problem::column)
            .thenComparing(Problem::code);

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
        // One line each, whatever the cause said: reports are read in terminals and CI annotations.
        message = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** {@code path:line:col: code: message}. */
    public String format() {
        return file + ":" + line + ":" + column + ": " + code + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
