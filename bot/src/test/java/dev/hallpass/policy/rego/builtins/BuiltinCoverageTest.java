package dev.hallpass.policy.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.Builtin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Every built-in the conformance suite calls is registered, with an arity that fits its calls. */
class BuiltinCoverageTest {

    private static Path conformance() {
        String shared = System.getProperty("hallpass.shared");
        Path dir = shared == null ? null : Path.of(shared, "rego-conformance");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir), "shared/rego-conformance not present");
        return dir;
    }

    /** The backticked names in the README's "Built-in functions that occur in these cases" section. */
    private static List<String> readmeNames(Path dir) throws IOException {
        String readme = Files.readString(dir.resolve("README.md"));
        int start = readme.indexOf("## Built-in functions that occur in these cases");
        assertTrue(start >= 0, "README section missing");
        int end = readme.indexOf("\n## ", start + 5);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        int list = section.indexOf("\n`");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z_][a-z0-9_.]*)`").matcher(section.substring(list));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void standard_registersEveryReadmeBuiltin_whenConformanceSuitePresent() throws IOException {
        Path dir = conformance();
        List<String> names = readmeNames(dir);
        assertTrue(names.size() >= 125, "parsed only " + names.size() + " names");
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!Builtins.standard().containsKey(n)) {
                missing.add(n);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void standard_hasArityMatchingCalls_whenModulesCallBuiltins() throws IOException {
        Path dir = conformance();
        List<String> names = readmeNames(dir);
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("cases"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(f));
                for (Object c : (List<?>) ((Map<?, ?>) doc).get("cases")) {
                    Map<?, ?> tc = (Map<?, ?>) c;
                    sources.add(String.valueOf(tc.get("query")));
                    Object modules = tc.get("modules");
                    if (modules instanceof List<?> l) {
                        l.forEach(x -> sources.add(String.valueOf(x)));
                    }
                }
            }
        }
        Map<String, Set<Integer>> counts = new TreeMap<>();
        for (String name : names) {
            Pattern call = Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(name) + "\\(");
            for (String src : sources) {
                Matcher m = call.matcher(src);
                while (m.find()) {
                    int n = argCount(src, m.end());
                    if (n >= 0) {
                        counts.computeIfAbsent(name, k -> new TreeSet<>()).add(n);
                    }
                }
            }
        }
        List<String> bad = new ArrayList<>();
        counts.forEach((name, seen) -> {
            Builtin b = Builtins.standard().get(name);
            assertNotNull(b, name);
            for (int n : seen) {
                // A call either returns its value or, in the older style, binds it to one extra argument.
                if (n != b.arity() && n != b.arity() + 1) {
                    bad.add(name + " called with " + n + " args, arity " + b.arity());
                }
            }
        });
        assertEquals(List.of(), bad);
        assertFalse(counts.isEmpty());
        // Only used as mock targets in the suite.
        assertEquals(1, Builtins.standard().get("http.send").arity());
        assertEquals(2, Builtins.standard().get("io.jwt.decode_verify").arity());
        assertEquals(0, Builtins.standard().get("opa.runtime").arity());
    }

    @Test
    void standard_registersOperators_whenEvaluatorLooksThemUp() {
        for (String op : List.of(
                "plus", "minus", "mul", "div", "rem", "equal", "neq", "lt", "lte", "gt", "gte", "and", "or", "abs",
                "ceil", "floor", "round")) {
            Builtin b = Builtins.standard().get(op);
            assertNotNull(b, op);
            assertEquals(Set.of("abs", "ceil", "floor", "round").contains(op) ? 1 : 2, b.arity(), op);
        }
        assertTrue(Builtins.standard().get("walk").relation());
    }

    /** Arguments of the call whose '(' ends at from: commas at depth zero, skipping strings; -1 if unbalanced. */
    private static int argCount(String s, int from) {
        int depth = 0;
        int commas = 0;
        boolean any = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                    i++;
                }
                any = true;
                continue;
            }
            if (c == '`') {
                i = s.indexOf('`', i + 1);
                if (i < 0) {
                    return -1;
                }
                any = true;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return any ? commas + 1 : 0;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                commas++;
            } else if (c == '\n' && depth == 0 && !any) {
                continue;
            }
            if (!Character.isWhitespace(c)) {
                any = true;
            }
        }
        return -1;
    }
}
