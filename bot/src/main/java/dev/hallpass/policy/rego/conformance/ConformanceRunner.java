package dev.hallpass.policy.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.PolicySet;
import dev.hallpass.policy.rego.Rego;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.policy.rego.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs OPA's YAML conformance cases (see {@code rego-conformance/README.md}) against the engine. The
 * data is read at run time; nothing is copied into the project.
 */
public final class ConformanceRunner {

    /** Cases skipped on purpose, by id ({@code category/file.yaml#index}), with the reason. */
    public static final Map<String, String> SKIP = Map.of(
            "time/test-time-0947.yaml#0", "calls test.sleep, a built-in that exists only in OPA's own test harness");

    private static final Set<String> KNOWN_KEYS = Set.of(
            "note",
            "query",
            "modules",
            "data",
            "input",
            "input_term",
            "want_result",
            "want_error_code",
            "want_error",
            "strict_error",
            "sort_bindings");

    public record Failure(String id, String category, String note, String why) {
        /** The case failed only because a built-in function is not available. */
        public boolean missingBuiltin() {
            return why.startsWith("compile error: ")
                    && why.contains("rego_type_error: undefined function ")
                    && !why.contains("undefined function data.");
        }

        @Override
        public String toString() {
            return id + " " + note + ": " + why;
        }
    }

    /** Per category: passed, failed, skipped. */
    public record Report(int passed, int failed, int skipped, List<Failure> failures, Map<String, int[]> categories) {
        public double passRate() {
            int total = passed + failed;
            return total == 0 ? 1.0 : (double) passed / total;
        }

        /** Failed cases that need a built-in function this build does not have. */
        public long missingBuiltins() {
            return failures.stream().filter(Failure::missingBuiltin).count();
        }

        /** Pass rate over the cases whose built-ins are all available. */
        public double languagePassRate() {
            long total = passed + failed - missingBuiltins();
            return total == 0 ? 1.0 : (double) passed / total;
        }
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    /** Runs every {@code *.yaml} file under {@code dir} (the {@code cases} directory or its parent). */
    public Report run(Path dir) throws IOException {
        Path cases = Files.isDirectory(dir.resolve("cases")) ? dir.resolve("cases") : dir;
        List<Path> files;
        try (Stream<Path> s = Files.walk(cases)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        List<Failure> failures = new ArrayList<>();
        Map<String, int[]> cats = new TreeMap<>();
        for (Path file : files) {
            String rel = cases.relativize(file).toString().replace('\\', '/');
            String category = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : "";
            JsonNode root = yaml.readTree(file.toFile());
            JsonNode list = root == null ? null : root.get("cases");
            if (list == null) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                String id = rel + "#" + i;
                int[] cat = cats.computeIfAbsent(category, k -> new int[3]);
                if (SKIP.containsKey(id)) {
                    skipped++;
                    cat[2]++;
                    continue;
                }
                String why;
                try {
                    why = runCase(c);
                } catch (RuntimeException | StackOverflowError e) {
                    why = "crash: " + e;
                }
                if (why == null) {
                    passed++;
                    cat[0]++;
                } else {
                    failed++;
                    cat[1]++;
                    failures.add(new Failure(id, category, c.path("note").asText(), why));
                }
            }
        }
        return new Report(passed, failed, skipped, failures, cats);
    }

    /** Runs one case; returns null when it passes, else why it failed. */
    String runCase(JsonNode c) {
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN_KEYS.contains(k)) {
                return "unsupported case key " + k;
            }
        }
        PolicySet ps;
        try {
            RegoCompiler rc = new RegoCompiler();
            JsonNode mods = c.get("modules");
            if (mods != null) {
                for (int i = 0; i < mods.size(); i++) {
                    rc.addModule("test-" + i + ".rego", mods.get(i).asText());
                }
            }
            ps = rc.compile();
        } catch (RegoException e) {
            return "compile error: " + e.getMessage();
        }
        Value data = c.has("data") ? toValue(c.get("data")) : null;
        Value input = null;
        try {
            if (c.has("input_term")) {
                input = Rego.parseValue(c.get("input_term").asText());
            } else if (c.has("input")) {
                input = toValue(c.get("input"));
            }
        } catch (RegoException e) {
            return "input_term error: " + e.getMessage();
        }
        boolean strict = c.path("strict_error").asBoolean(false);
        List<PolicySet.Result> results = null;
        RegoException error = null;
        try {
            results = ps.evalQuery(c.get("query").asText(), input, data, EvalOptions.DEFAULT.withStrict(strict));
        } catch (PolicySet.StrictErrorException e) {
            error = e;
            results = e.results();
        } catch (RegoException e) {
            error = e;
        } catch (BudgetExceededException e) {
            return "budget exceeded: " + e.getMessage();
        }
        boolean wantsError = c.has("want_error") || c.has("want_error_code");
        if (error != null && !wantsError) {
            return "unexpected error: " + error.getMessage();
        }
        if (wantsError) {
            if (error == null) {
                return "expected error " + c.path("want_error_code").asText("") + " "
                        + c.path("want_error").asText("") + " but got results " + render(results);
            }
            if (c.has("want_error_code") && !c.get("want_error_code").asText().equals(error.code())) {
                return "expected error code " + c.get("want_error_code").asText() + " but got " + error.getMessage();
            }
            if (c.has("want_error")
                    && !error.getMessage().contains(c.get("want_error").asText())) {
                return "expected error containing '" + c.get("want_error").asText() + "' but got " + error.getMessage();
            }
            if (!c.has("want_result")) {
                return null;
            }
        }
        if (!c.has("want_result")) {
            return "case has no expectation";
        }
        boolean sort = c.path("sort_bindings").asBoolean(false);
        TreeSet<Value> want = new TreeSet<>();
        for (JsonNode r : c.get("want_result")) {
            want.add(normalize(toValue(r), sort));
        }
        TreeSet<Value> got = new TreeSet<>();
        for (PolicySet.Result r : results) {
            Map<String, Object> b = new LinkedHashMap<>();
            r.bindings().forEach((k, v) -> b.put(k, v.toJava()));
            got.add(normalize(Value.fromJava(b), sort));
        }
        if (!want.equals(got)) {
            return "want " + want + " got " + got;
        }
        return null;
    }

    private static String render(List<PolicySet.Result> rs) {
        List<String> out = new ArrayList<>();
        for (PolicySet.Result r : rs) {
            out.add(r.bindings().toString());
        }
        return out.toString();
    }

    /** Sorts top-level binding values that are arrays when sort_bindings is set. */
    private static Value normalize(Value bindings, boolean sort) {
        if (!sort || !(bindings instanceof Value.Obj o)) {
            return bindings;
        }
        Map<Value, Value> m = new TreeMap<>();
        o.entries().forEach((k, v) -> {
            if (v instanceof Value.Arr a) {
                List<Value> items = new ArrayList<>(a.items());
                items.sort(null);
                m.put(k, Value.array(items));
            } else {
                m.put(k, v);
            }
        });
        return Value.object(m);
    }

    static Value toValue(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Value.NULL;
        }
        if (n.isBoolean()) {
            return Value.bool(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            return Value.num(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return Value.num(n.decimalValue());
        }
        if (n.isTextual()) {
            return Value.str(n.textValue());
        }
        if (n.isArray()) {
            List<Value> out = new ArrayList<>();
            n.forEach(x -> out.add(toValue(x)));
            return Value.array(out);
        }
        Map<Value, Value> m = new TreeMap<>();
        n.fields().forEachRemaining(e -> m.put(Value.str(e.getKey()), toValue(e.getValue())));
        return Value.object(m);
    }
}
