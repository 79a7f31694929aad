package dev.hallpass.request;

/**
 * A 1-based line and column in a source file. {@link #FILE} stands for the file as a whole and points at
 * its start, since editors and CI annotations need a real line.
 */
public record Pos(int line, int column) {
    public static final Pos FILE = new Pos(1, 1);

    public Pos {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }
}
