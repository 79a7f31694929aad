package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.testing.TemplateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    static final Path TEMPLATE =
            Path.of(System.getProperty("hallpass.root", "..")).resolve("access-repo-template");

    @TempDir
    Path tmp;

    @Test
    void validate_whenTemplate_exitsZeroAndSaysOk() {
        CliRunner.Result r = CliRunner.run("validate", TEMPLATE.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("ok: working tree "), r.out());
    }

    @Test
    void validate_whenProblems_exitsOneWithOneLinePerProblem() throws Exception {
        TemplateRepo.copyTo(tmp);
        Files.writeString(
                tmp.resolve("requests/x-1.yaml"), "apiVersion: hallpass/v1\nkind: AccessRequest\nrole: nope\n");
        CliRunner.Result r = CliRunner.run("validate", tmp.toString());
        assertEquals(1, r.exitCode());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].matches("requests/x-1\\.yaml:\\d+:\\d+: [a-z_.]+: .*"), lines[0]);
        assertTrue(lines[lines.length - 1].matches("\\d+ problem\\(s\\) in .*"), lines[lines.length - 1]);
    }

    @Test
    void validate_whenJsonFormat_printsMachineReadableProblems() throws Exception {
        TemplateRepo.copyTo(tmp);
        Files.writeString(tmp.resolve("requests/x-1.yaml"), "apiVersion: hallpass/v1\n");
        CliRunner.Result r = CliRunner.run("validate", tmp.toString(), "--format", "json");
        assertEquals(1, r.exitCode());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(false, doc.get("ok").asBoolean());
        JsonNode first = doc.get("problems").get(0);
        assertEquals("requests/x-1.yaml", first.get("file").asText());
        assertTrue(first.get("line").asInt() >= 1);
        assertTrue(first.get("code").asText().startsWith("request."));
    }

    @Test
    void validate_whenRepositoryPolicyDoesNotCompile_reportsItWithPositionAndCode() throws Exception {
        TemplateRepo.copyTo(tmp);
        Files.createDirectories(tmp.resolve("policies"));
        Files.writeString(tmp.resolve("policies/extra.rego"), "package extra\n\ndeny if {\n  input.x ==\n}\n");
        CliRunner.Result r = CliRunner.run("validate", tmp.toString());
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("policies/extra.rego:5:1: policy.rego_parse_error: "), r.out());
    }

    @Test
    void validate_whenRepositoryPolicyCallsUnsupportedBuiltin_reportsIt() throws Exception {
        TemplateRepo.copyTo(tmp);
        Files.createDirectories(tmp.resolve("policies"));
        Files.writeString(
                tmp.resolve("policies/extra.rego"), "package extra\n\ndeny if graphql.parse_query(input.q)\n");
        CliRunner.Result r = CliRunner.run("validate", tmp.toString(), "--format", "json");
        assertEquals(1, r.exitCode(), r.out());
        JsonNode p = new ObjectMapper().readTree(r.out()).get("problems").get(0);
        assertEquals("policies/extra.rego", p.get("file").asText());
        assertEquals(3, p.get("line").asInt());
        assertEquals("policy.rego_unsupported_builtin_error", p.get("code").asText());
    }

    @Test
    void validate_whenUsageIsWrong_exitsTwo() {
        assertEquals(
                2,
                CliRunner.run("validate", "--format", "xml", TEMPLATE.toString())
                        .exitCode());
        assertEquals(
                2, CliRunner.run("validate", tmp.resolve("missing").toString()).exitCode());
        CliRunner.Result noGit = CliRunner.run("validate", tmp.toString(), "--ref", "main");
        assertEquals(2, noGit.exitCode());
        assertTrue(noGit.err().contains("git"), noGit.err());
    }

    @Test
    void main_whenVersionAsked_printsVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("hallpass "), r.out());
    }
}
