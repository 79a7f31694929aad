package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `hallpass policy eval --opa-url` asks OPA's Data API and prints the answer like `opa eval`. */
class PolicyEvalOpaTest {
    @TempDir
    Path tmp;

    @Test
    void eval_whenOpaUrlGiven_postsInputToDataPathAndPrintsResult() throws Exception {
        List<String> seen = new ArrayList<>();
        HttpServer opa = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        opa.createContext("/", ex -> {
            seen.add(ex.getRequestURI() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"result\": {\"allow\": true}, \"decision_id\": \"d-7\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        opa.start();
        try {
            Path input = Files.writeString(tmp.resolve("input.json"), "{\"user\": \"alice\"}");
            CliRunner.Result r = CliRunner.run(
                    "policy",
                    "eval",
                    "--opa-url",
                    "http://127.0.0.1:" + opa.getAddress().getPort(),
                    "-i",
                    input.toString(),
                    "data.hallpass.access.decision");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("/v1/data/hallpass/access/decision {\"input\":{\"user\":\"alice\"}}", seen.get(0));
            assertTrue(r.out().contains("\"allow\" : true"), r.out());
            assertTrue(r.out().contains("\"text\" : \"data.hallpass.access.decision\""), r.out());
        } finally {
            opa.stop(0);
        }
    }

    @Test
    void eval_whenOpaUrlAndQueryIsNotADataPath_isAUsageError() {
        CliRunner.Result r = CliRunner.run("policy", "eval", "--opa-url", "http://127.0.0.1:1", "x := 1");
        assertEquals(2, r.exitCode());
    }
}
