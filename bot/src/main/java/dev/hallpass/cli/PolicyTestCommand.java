package dev.hallpass.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallpass.policy.rego.Ast;
import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.PolicySet;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.policy.rego.Value;
import dev.hallpass.policy.rego.conformance.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hallpass policy test}: runs the {@code test_*} rules of {@code *_test.rego} files, like {@code opa
 * test}. A test that evaluates to true passes; undefined or another value fails; a test that raises an
 * error (a conflict, a budget, or a built-in error such as {@code 1 / 0} that made it fail) is an ERROR.
 * Exit 0 when all pass, 1 when some fail, 2 when some error or the policies cannot be loaded.
 */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run test_* rules in *_test.rego files.")
final class PolicyTestCommand implements Callable<Integer> {
    enum Format {
        pretty,
        json
    }

    @Parameters(arity = "0..*", description = "Directories or files (default .).")
    List<Path> paths = new ArrayList<>();

    @Option(
            names = {"-v", "--verbose"},
            description = "Print every test result.")
    boolean verbose;

    @Option(
            names = {"-r", "--run"},
            description = "Run only tests whose full name matches this regex.")
    java.util.regex.Pattern run;

    @Option(names = "--format", defaultValue = "pretty", description = "pretty (default) or json, as opa test.")
    Format format;

    @Option(
            names = {"-c", "--coverage"},
            description = "Print a JSON coverage report of the non-test modules instead of the results.")
    boolean coverage;

    /** One test's outcome; {@code error} is set for ERROR. */
    private record Outcome(
            String pkg, String name, Ast.Loc loc, String status, long nanos, RegoException error, String detail) {}

    @Override
    public Integer call() {
        PolicySet ps;
        PolicyLoader loader = new PolicyLoader();
        try {
            for (Path p : paths.isEmpty() ? List.of(Path.of(".")) : paths) {
                loader.load(p);
            }
            RegoCompiler rc = new RegoCompiler();
            loader.modules.forEach(rc::addModule);
            ps = rc.compile();
        } catch (RegoException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        Map<String, Ast.Rule> tests = new LinkedHashMap<>();
        Map<String, Ast.Rule> todos = new LinkedHashMap<>();
        for (Ast.RegoModule m : ps.modules()) {
            if (!m.file().endsWith("_test.rego")) {
                continue;
            }
            for (Ast.Rule r : m.rules()) {
                Ast.Term first = r.head().get(0);
                String name = ((Value.Str) ((Ast.Scalar) first).value()).value();
                String full = "data." + String.join(".", m.pkg()) + "." + name;
                if (run != null && !run.matcher(full).find()) {
                    continue;
                }
                if (name.startsWith("test_") && r.args() == null) {
                    tests.putIfAbsent(full, r);
                } else if (name.startsWith("todo_")) {
                    todos.putIfAbsent(full, r);
                }
            }
        }
        Set<Ast.Loc> covered = new java.util.HashSet<>();
        EvalOptions options = EvalOptions.DEFAULT.withPrinter(System.err::println);
        if (coverage) {
            options = options.withCoverage(covered::add);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (var t : tests.entrySet()) {
            outcomes.add(runTest(ps, loader.data(), t.getKey(), t.getValue(), options));
        }
        for (var t : todos.entrySet()) {
            outcomes.add(
                    new Outcome(pkg(t.getKey()), name(t.getKey()), t.getValue().loc(), "SKIPPED", 0, null, ""));
        }
        if (coverage) {
            System.out.println(coverageReport(ps, covered));
        } else if (format == Format.json) {
            System.out.println(json(outcomes));
        } else {
            pretty(outcomes);
        }
        long errors = outcomes.stream().filter(o -> o.status().equals("ERROR")).count();
        long failed = outcomes.stream().filter(o -> o.status().equals("FAIL")).count();
        if (errors > 0) {
            return 2;
        }
        return failed > 0 ? 1 : 0;
    }

    private Outcome runTest(PolicySet ps, Value data, String full, Ast.Rule rule, EvalOptions options) {
        long start = System.nanoTime();
        String status;
        String detail = "";
        RegoException error = null;
        try {
            Optional<Value> v = ps.evalRef(full, null, data, options);
            if (v.isPresent() && v.get() instanceof Value.Obj o && !o.entries().isEmpty()) {
                // Parameterised test: one result per key.
                boolean all = true;
                StringBuilder sb = new StringBuilder();
                for (var e : o.entries().entrySet()) {
                    boolean ok = e.getValue().equals(Value.TRUE);
                    all &= ok;
                    if (verbose || !ok) {
                        sb.append("\n  ")
                                .append(full)
                                .append('[')
                                .append(e.getKey())
                                .append("]: ")
                                .append(ok ? "PASS" : "FAIL");
                    }
                }
                status = all ? "PASS" : "FAIL";
                detail = sb.toString();
            } else {
                status = v.isPresent() && v.get().equals(Value.TRUE) ? "PASS" : "FAIL";
            }
            if (status.equals("FAIL")) {
                // A failing test whose evaluation hit a built-in error reports that error, as an ERROR.
                try {
                    ps.evalRef(full, null, data, options.withStrict(true).withCoverage(null));
                } catch (PolicySet.StrictErrorException e) {
                    status = "ERROR";
                    error = e;
                }
            }
        } catch (RegoException e) {
            status = "ERROR";
            error = e;
        } catch (BudgetExceededException e) {
            status = "ERROR";
            error = RegoException.eval("eval_budget_error", e.getMessage(), rule.loc());
        }
        if (error != null) {
            detail = "\n  " + error.getMessage();
        }
        return new Outcome(pkg(full), name(full), rule.loc(), status, System.nanoTime() - start, error, detail);
    }

    private static String pkg(String full) {
        return full.substring(0, full.lastIndexOf('.'));
    }

    private static String name(String full) {
        return full.substring(full.lastIndexOf('.') + 1);
    }

    private void pretty(List<Outcome> outcomes) {
        int passed = 0;
        int failed = 0;
        int errors = 0;
        int skipped = 0;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case "PASS" -> passed++;
                case "FAIL" -> failed++;
                case "ERROR" -> errors++;
                default -> skipped++;
            }
            if (o.status().equals("SKIPPED")) {
                System.out.println(o.pkg() + "." + o.name() + ": SKIPPED");
            } else if (verbose || !o.status().equals("PASS")) {
                System.out.printf("%s.%s: %s (%.3fms)%s%n", o.pkg(), o.name(), o.status(), o.nanos() / 1e6, o.detail());
            }
        }
        int total = passed + failed + errors;
        System.out.println("-".repeat(80));
        System.out.println("PASS: " + passed + "/" + total);
        if (failed > 0) {
            System.out.println("FAIL: " + failed + "/" + total);
        }
        if (errors > 0) {
            System.out.println("ERROR: " + errors + "/" + total);
        }
        if (skipped > 0) {
            System.out.println("SKIPPED: " + skipped + "/" + (total + skipped));
        }
        System.out.println(passed + " passed, " + (failed + errors) + " failed");
    }

    /** opa test --format=json: one object per test. */
    private static String json(List<Outcome> outcomes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("location", location(o.loc()));
            m.put("package", o.pkg());
            m.put("name", o.name());
            m.put("duration", o.nanos());
            switch (o.status()) {
                case "FAIL" -> m.put("fail", true);
                case "SKIPPED" -> m.put("skip", true);
                case "ERROR" -> {
                    Map<String, Object> err = new LinkedHashMap<>();
                    err.put("code", o.error().code());
                    err.put("message", o.error().detail());
                    if (o.error().loc() != null) {
                        err.put("location", location(o.error().loc()));
                    }
                    m.put("error", err);
                }
                default -> {}
            }
            out.add(m);
        }
        return write(out);
    }

    private static Map<String, Object> location(Ast.Loc loc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", loc.file());
        m.put("row", loc.row());
        m.put("col", loc.col());
        return m;
    }

    /**
     * opa test --coverage's report over the non-test modules: a line is coverable when it holds a body
     * expression, covered when one of those was evaluated by some test.
     */
    private static String coverageReport(PolicySet ps, Set<Ast.Loc> covered) {
        Map<String, TreeSet<Integer>> hit = new TreeMap<>();
        Map<String, TreeSet<Integer>> coverable = new TreeMap<>();
        for (Ast.Loc l : covered) {
            hit.computeIfAbsent(l.file(), k -> new TreeSet<>()).add(l.row());
        }
        for (Ast.RegoModule m : ps.modules()) {
            if (m.file().endsWith("_test.rego")) {
                continue;
            }
            TreeSet<Integer> rows = coverable.computeIfAbsent(m.file(), k -> new TreeSet<>());
            for (Ast.Rule r : m.rules()) {
                for (Ast.Rule c = r; c != null; c = c.elseRule()) {
                    c.body().forEach(e -> rows.add(e.loc().row()));
                }
            }
        }
        Map<String, Object> files = new TreeMap<>();
        int allCovered = 0;
        int allNot = 0;
        for (var e : coverable.entrySet()) {
            TreeSet<Integer> h = hit.getOrDefault(e.getKey(), new TreeSet<>());
            List<Map<String, Object>> yes = new ArrayList<>();
            List<Map<String, Object>> no = new ArrayList<>();
            int c = 0;
            int n = 0;
            for (int row : e.getValue()) {
                Map<String, Object> range = Map.of("start", Map.of("row", row), "end", Map.of("row", row));
                if (h.contains(row)) {
                    yes.add(range);
                    c++;
                } else {
                    no.add(range);
                    n++;
                }
            }
            Map<String, Object> f = new LinkedHashMap<>();
            if (!yes.isEmpty()) {
                f.put("covered", yes);
            }
            if (!no.isEmpty()) {
                f.put("not_covered", no);
            }
            f.put("covered_lines", c);
            f.put("not_covered_lines", n);
            f.put("coverage", percent(c, n));
            files.put(e.getKey(), f);
            allCovered += c;
            allNot += n;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("files", files);
        report.put("covered_lines", allCovered);
        report.put("not_covered_lines", allNot);
        report.put("coverage", percent(allCovered, allNot));
        return write(report);
    }

    private static double percent(int covered, int not) {
        return covered + not == 0 ? 100.0 : Math.round(10000.0 * covered / (covered + not)) / 100.0;
    }

    private static String write(Object o) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
