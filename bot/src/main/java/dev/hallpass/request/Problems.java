package dev.hallpass.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every problem found instead of stopping at the first, the way a compiler does. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(Problem p) {
        list.add(p);
    }

    public void add(String file, Pos pos, String code, String message) {
        list.add(new Problem(file, pos.line(), pos.column(), code, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    /** Sorted by file, line, column; duplicates removed. */
    public List<Problem> sorted() {
        List<Problem> out = new ArrayList<>(list.stream().distinct().toList());
        out.sort(Problem.ORDER);
        return Collections.unmodifiableList(out);
    }
}
