package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegoPolicyCliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out) {}

    private static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void eval_whenQueryDefined_printsOpaResultShape() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if input.user == data.app_cfg.admin\n");
        Files.createDirectories(dir.resolve("app_cfg"));
        Files.writeString(dir.resolve("app_cfg/data.json"), "{\"admin\": \"ann\"}");
        Path input = dir.resolve("input.json");
        Files.writeString(input, "{\"user\": \"ann\"}");

        Run r = run("policy", "eval", "--data", dir.toString(), "--input", input.toString(), "x := data.app.allow");

        assertEquals(0, r.exit(), r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode first = json.get("result").get(0);
        assertTrue(first.get("expressions").get(0).get("value").asBoolean());
        assertEquals(
                "x := data.app.allow",
                first.get("expressions").get(0).get("text").asText());
        assertEquals(
                1, first.get("expressions").get(0).get("location").get("row").asInt());
        assertTrue(first.get("bindings").get("x").asBoolean());
    }

    @Test
    void eval_whenQueryUndefined_printsEmptyObject() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if false\n");
        Run r = run("policy", "eval", "-d", dir.toString(), "data.app.allow");
        assertEquals(0, r.exit());
        assertEquals("{ }", r.out().trim());
    }

    @Test
    void eval_whenPolicyHasError_printsErrorAndExits1() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if x\n");
        Run r = run("policy", "eval", "-d", dir.toString(), "data.app.allow");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("rego_unsafe_var_error"), r.out());
    }

    @Test
    void test_whenAllTestsPass_exits0AndPrintsSummary() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if input.user == \"ann\"\n");
        Files.writeString(
                dir.resolve("p_test.rego"),
                "package app_test\nimport data.app\ntest_ann if app.allow with input as {\"user\": \"ann\"}\n"
                        + "test_bob if not app.allow with input as {\"user\": \"bob\"}\n");
        Run r = run("policy", "test", "-v", dir.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("data.app_test.test_ann: PASS"), r.out());
        String[] lines = r.out().trim().split("\n");
        assertEquals("2 passed, 0 failed", lines[lines.length - 1]);
    }

    @Test
    void test_whenATestFails_exits1AndListsIt() throws Exception {
        Files.writeString(dir.resolve("p.rego"), "package app\nallow if input.user == \"ann\"\n");
        Files.writeString(
                dir.resolve("p_test.rego"),
                "package app_test\nimport data.app\ntest_ok if true\ntest_bad if app.allow with input as {\"user\": \"bob\"}\n");
        Run r = run("policy", "test", dir.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("data.app_test.test_bad: FAIL"), r.out());
        assertTrue(r.out().trim().endsWith("1 passed, 1 failed"), r.out());
    }

    @Test
    void test_whenATestErrors_exits2() throws Exception {
        Files.writeString(
                dir.resolve("p_test.rego"), "package t_test\nx := v if { some v in [1, 2] }\ntest_conflict if x\n");
        Run r = run("policy", "test", dir.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("ERROR"), r.out());
    }

    @Test
    void test_whenABuiltinErrorMakesATestFail_reportsErrorNotFail() throws Exception {
        Files.writeString(dir.resolve("p_test.rego"), "package t_test\ntest_div if 1 / 0 == 1\ntest_ok if true\n");
        Run r = run("policy", "test", dir.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("data.t_test.test_div: ERROR"), r.out());
        assertTrue(r.out().contains("divide by zero"), r.out());
    }

    @Test
    void test_whenSeveralPathsAndRunFilter_runsOnlyMatchingTestsOfAllPaths() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("a_test.rego"), "package a_test\ntest_one if true\ntest_two if false\n");
        Files.writeString(b.resolve("b_test.rego"), "package b_test\ntest_one if true\n");
        Run r = run("policy", "test", "-v", "--run", "test_one", a.toString(), b.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("data.a_test.test_one: PASS"), r.out());
        assertTrue(r.out().contains("data.b_test.test_one: PASS"), r.out());
        assertTrue(r.out().trim().endsWith("2 passed, 0 failed"), r.out());
    }

    @Test
    void test_whenFormatJson_printsOneObjectPerTestLikeOpa() throws Exception {
        Files.writeString(
                dir.resolve("p_test.rego"),
                "package t_test\ntest_ok if true\ntest_bad if false\ntest_err if 1 / 0 == 1\ntodo_later if true\n");
        Run r = run("policy", "test", "--format", "json", dir.toString());
        assertEquals(2, r.exit(), r.out());
        JsonNode all = new ObjectMapper().readTree(r.out());
        assertEquals(4, all.size(), r.out());
        JsonNode ok = all.get(0);
        assertEquals("data.t_test", ok.get("package").asText());
        assertEquals("test_ok", ok.get("name").asText());
        assertEquals(2, ok.get("location").get("row").asInt());
        assertTrue(all.get(1).get("fail").asBoolean(), r.out());
        assertEquals("eval_builtin_error", all.get(2).get("error").get("code").asText(), r.out());
        assertTrue(all.get(3).get("skip").asBoolean(), r.out());
    }

    @Test
    void test_whenCoverage_reportsCoveredAndNotCoveredLinesOfPolicies() throws Exception {
        Files.writeString(
                dir.resolve("p.rego"),
                "package app\n\nallow if {\n\tinput.user == \"ann\"\n}\n\ndeny if {\n\tinput.user == \"eve\"\n}\n");
        Files.writeString(
                dir.resolve("p_test.rego"),
                "package app_test\nimport data.app\ntest_ann if app.allow with input as {\"user\": \"ann\"}\n");
        Run r = run("policy", "test", "--coverage", dir.toString());
        assertEquals(0, r.exit(), r.out());
        JsonNode report = new ObjectMapper().readTree(r.out());
        JsonNode file = report.get("files").get(dir.resolve("p.rego").toString());
        assertEquals(4, file.get("covered").get(0).get("start").get("row").asInt(), r.out());
        assertEquals(8, file.get("not_covered").get(0).get("start").get("row").asInt(), r.out());
        assertEquals(50.0, report.get("coverage").asDouble(), r.out());
    }

    @Test
    void test_whenPolicyDoesNotParse_exits2() throws Exception {
        Files.writeString(dir.resolve("p_test.rego"), "package t_test\ntest_x if {\n");
        assertEquals(2, run("policy", "test", dir.toString()).exit());
    }

    @Test
    void conformance_whenDirectoryHasCases_printsSummaryLine() throws Exception {
        Path cases = Files.createDirectories(dir.resolve("cases/demo"));
        Files.writeString(
                cases.resolve("c.yaml"),
                """
                cases:
                  - note: demo/pass
                    query: data.t.p = x
                    modules:
                      - |
                        package t
                        p := 1
                    want_result:
                      - x: 1
                  - note: demo/fail
                    query: data.t.p = x
                    modules:
                      - |
                        package t
                        p := 2
                    want_result:
                      - x: 1
                """);
        Run r = run("policy", "conformance", dir.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("demo/c.yaml#1 demo/fail: want"), r.out());
        assertTrue(r.out().trim().endsWith("1 passed, 1 failed, 0 skipped"), r.out());
        assertEquals(
                0,
                run("policy", "conformance", "--min-pass-rate", "0.5", dir.toString())
                        .exit());
    }
}
