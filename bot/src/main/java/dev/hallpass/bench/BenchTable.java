package dev.hallpass.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The performance table `hallpass bench` prints: one row per measured figure, with its target. */
public final class BenchTable {
    public record Row(String area, String metric, String value, String target, Boolean met) {}

    private final List<Row> rows = new ArrayList<>();

    public void add(String area, String metric, String value, String target, Boolean met) {
        rows.add(new Row(area, metric, value, target, met));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public boolean allMet() {
        return rows.stream().allMatch(r -> r.met() == null || r.met());
    }

    /** Prints a Markdown table, so it pastes straight into the README. */
    public void print(PrintWriter out) {
        out.println("| area | metric | measured | target | met |");
        out.println("|---|---|---|---|---|");
        for (Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s |%n",
                    r.area(),
                    r.metric(),
                    r.value(),
                    r.target(),
                    r.met() == null ? "" : r.met() ? "yes" : "NO");
        }
        out.flush();
    }

    /** The p-th percentile (0-100) of nanosecond samples, in milliseconds. */
    public static double percentileMillis(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    public static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.0f ms", millis);
    }
}
