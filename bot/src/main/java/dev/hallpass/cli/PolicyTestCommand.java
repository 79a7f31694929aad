package dev.hallpass.cli;

import dev.hallpass.policy.rego.Ast;
import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.PolicySet;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.policy.rego.Value;
import dev.hallpass.policy.rego.conformance.PolicyLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hallpass policy test}: runs the {@code test_*} rules of {@code *_test.rego} files, like {@code opa
 * test}. Exit 0 when all pass, 1 when some fail or error, 2 when the policies cannot be loaded.
 */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run test_* rules in *_test.rego files.")
final class PolicyTestCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = ".", description = "Directory or file (default .).")
    Path dir;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print every test result.")
    boolean verbose;

    @Option(
            names = {"-r", "--run"},
            description = "Run only tests whose full name matches this regex.")
    java.util.regex.Pattern run;

    @Override
    public Integer call() {
        PolicySet ps;
        PolicyLoader loader = new PolicyLoader();
        try {
            loader.load(dir);
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
        Set<String> tests = new LinkedHashSet<>();
        Set<String> todos = new LinkedHashSet<>();
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
                    tests.add(full);
                } else if (name.startsWith("todo_")) {
                    todos.add(full);
                }
            }
        }
        int passed = 0;
        int failed = 0;
        int errors = 0;
        for (String t : tests) {
            long start = System.nanoTime();
            String status;
            String detail = "";
            try {
                Optional<Value> v =
                        ps.evalRef(t, null, loader.data(), EvalOptions.DEFAULT.withPrinter(System.err::println));
                if (v.isPresent()
                        && v.get() instanceof Value.Obj o
                        && !o.entries().isEmpty()) {
                    boolean all = true;
                    for (var e : o.entries().entrySet()) {
                        boolean ok = e.getValue().equals(Value.TRUE);
                        all &= ok;
                        if (verbose || !ok) {
                            System.out.println(t + "[" + e.getKey() + "]: " + (ok ? "PASS" : "FAIL"));
                        }
                    }
                    status = all ? "PASS" : "FAIL";
                } else {
                    status = v.isPresent() && v.get().equals(Value.TRUE) ? "PASS" : "FAIL";
                }
            } catch (RegoException | BudgetExceededException e) {
                status = "ERROR";
                detail = "\n  " + e.getMessage();
            }
            double ms = (System.nanoTime() - start) / 1e6;
            switch (status) {
                case "PASS" -> passed++;
                case "FAIL" -> failed++;
                default -> errors++;
            }
            if (verbose || !status.equals("PASS")) {
                System.out.printf("%s: %s (%.3fms)%s%n", t, status, ms, detail);
            }
        }
        for (String t : todos) {
            System.out.println(t + ": SKIPPED");
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
        if (!todos.isEmpty()) {
            System.out.println("SKIPPED: " + todos.size() + "/" + (total + todos.size()));
        }
        System.out.println(passed + " passed, " + (failed + errors) + " failed");
        if (errors > 0) {
            return 2;
        }
        return failed > 0 ? 1 : 0;
    }
}
