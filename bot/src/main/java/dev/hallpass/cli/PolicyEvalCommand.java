package dev.hallpass.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.Parser;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallpass policy eval}: evaluates a query and prints the result set like {@code opa eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a Rego query (output like opa eval).")
final class PolicyEvalCommand implements Callable<Integer> {
    @Option(
            names = {"-d", "--data"},
            description = "Policy or data file or directory (repeatable).")
    List<Path> data = new ArrayList<>();

    @Option(
            names = {"-i", "--input"},
            description = "Input document (JSON or YAML).")
    Path input;

    @Option(names = "--strict-builtin-errors", description = "Treat built-in errors as fatal.")
    boolean strict;

    @Parameters(index = "0", description = "The query, e.g. data.hallpass.access.allow")
    String query;

    @Option(
            names = "--opa-url",
            description =
                    "Ask OPA at this URL instead (Data API; the query must be a data path such as data.hallpass.access.decision).")
    String opaUrl;

    @Override
    public Integer call() throws Exception {
        // OPA prints {} for an undefined query and {"result": [...]} otherwise.
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (opaUrl != null) {
            return viaOpa(json);
        }
        try {
            PolicyLoader loader = new PolicyLoader();
            for (Path p : data) {
                loader.load(p);
            }
            RegoCompiler rc = new RegoCompiler();
            loader.modules.forEach(rc::addModule);
            PolicySet ps = rc.compile();
            Value in = input == null ? null : PolicyLoader.readValue(input);
            List<PolicySet.Result> results = ps.evalQuery(
                    query,
                    in,
                    loader.data(),
                    EvalOptions.DEFAULT.withStrict(strict).withPrinter(System.err::println));
            List<Parser.Span> spans = Parser.querySpans(query);
            Map<String, Object> out = new LinkedHashMap<>();
            if (!results.isEmpty()) {
                List<Object> rs = new ArrayList<>();
                for (PolicySet.Result r : results) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    List<Object> exprs = new ArrayList<>();
                    for (int i = 0; i < r.expressions().size(); i++) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("value", r.expressions().get(i).toJava());
                        Parser.Span s = i < spans.size() ? spans.get(i) : null;
                        e.put("text", s == null ? query : s.text());
                        e.put("location", Map.of("row", s == null ? 1 : s.row(), "col", s == null ? 1 : s.col()));
                        exprs.add(e);
                    }
                    one.put("expressions", exprs);
                    if (!r.bindings().isEmpty()) {
                        Map<String, Object> b = new LinkedHashMap<>();
                        r.bindings().forEach((k, v) -> b.put(k, v.toJava()));
                        one.put("bindings", b);
                    }
                    rs.add(one);
                }
                out.put("result", rs);
            }
            System.out.println(json.writeValueAsString(out));
            return 0;
        } catch (RegoException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("message", e.detail());
            one.put("code", e.code());
            if (e.loc() != null) {
                one.put(
                        "location",
                        Map.of(
                                "file",
                                e.loc().file(),
                                "row",
                                e.loc().row(),
                                "col",
                                e.loc().col()));
            }
            err.put("errors", List.of(one));
            System.out.println(json.writeValueAsString(err));
            return 1;
        } catch (BudgetExceededException | java.io.IOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** The same output shape, from OPA's Data API: a data path becomes {@code POST /v1/data/<path>}. */
    private int viaOpa(ObjectMapper json) throws java.io.IOException {
        String q = query.strip();
        if (!q.matches("data(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            System.err.println(
                    "error: with --opa-url the query must be a data path such as data.hallpass.access.decision");
            return 2;
        }
        com.fasterxml.jackson.databind.JsonNode in = input == null
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : json.valueToTree(PolicyLoader.readValue(input).toJava());
        dev.hallpass.policy.PolicyResult r = new dev.hallpass.policy.OpaRestEngine(
                        java.net.URI.create(opaUrl), dev.hallpass.policy.OpaRestEngine.Options.defaults())
                .evaluate(q.equals("data") ? "" : q.substring("data.".length()), in);
        Map<String, Object> out = new LinkedHashMap<>();
        if (r instanceof dev.hallpass.policy.PolicyResult.Defined d) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", d.value());
            e.put("text", q);
            e.put("location", Map.of("row", 1, "col", 1));
            out.put("result", List.of(Map.of("expressions", List.of(e))));
        } else if (r instanceof dev.hallpass.policy.PolicyResult.Failed f) {
            out.put("errors", List.of(Map.of("code", f.code(), "message", f.describe())));
            System.out.println(json.writeValueAsString(out));
            return 1;
        }
        System.out.println(json.writeValueAsString(out));
        return 0;
    }
}
