package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A smoke test of decision latency on a policy of about 300 lines; prints p50 and p99. */
class RegoPerformanceTest {

    static String policy() {
        StringBuilder sb = new StringBuilder("package bench\n\nimport rego.v1\n\ndefault allow := false\n\n");
        sb.append("allow if {\n\tcount(deny) == 0\n\tcount(matched) > 0\n}\n\n");
        for (int i = 0; i < 45; i++) {
            sb.append("matched contains \"r").append(i).append("\" if {\n");
            sb.append("\tsome r in input.resources\n");
            sb.append("\tr.kind == \"k").append(i).append("\"\n");
            sb.append("\tinput.user.team in data.teams[r.owner]\n");
            sb.append("}\n\n");
        }
        sb.append("deny contains msg if {\n\tinput.duration > 3600\n\tmsg := \"too long\"\n}\n\n");
        sb.append("deny contains msg if {\n\tsome r in input.resources\n\tnot data.teams[r.owner]\n");
        sb.append("\tmsg := concat(\" \", [\"unknown owner\", r.owner])\n}\n\n");
        sb.append("decision := {\"allow\": allow, \"deny\": deny, \"matched\": matched}\n");
        return sb.toString();
    }

    @Test
    void evalRef_whenPolicyIsCompiled_decidesWellUnderAMillisecond() {
        String src = policy();
        assertTrue(src.lines().count() >= 250, "policy should be about 300 lines");
        PolicySet ps = RegoCompiler.compile("bench.rego", src);
        Value data = Rego.parseValue("{\"teams\": {\"payments\": [\"ann-team\", \"core\"], \"search\": [\"core\"]}}");
        Value input = Rego.parseValue("{\"user\": {\"team\": \"core\"}, \"duration\": 600, \"resources\": ["
                + "{\"kind\": \"k7\", \"owner\": \"payments\"}, {\"kind\": \"k30\", \"owner\": \"search\"}]}");
        long[] ns = new long[4000];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            Value d = ps.evalRef("data.bench.decision", input, data).orElseThrow();
            ns[i] = System.nanoTime() - t0;
            assertEquals(Value.TRUE, ((Value.Obj) d).get("allow"));
        }
        long[] measured = Arrays.copyOfRange(ns, 2000, 4000);
        Arrays.sort(measured);
        double p50 = measured[1000] / 1e6;
        double p99 = measured[1980] / 1e6;
        System.out.printf(
                "decision latency over %d lines: p50 %.3f ms, p99 %.3f ms%n",
                src.lines().count(), p50, p99);
        // Generous bound: the machine is shared and tests run with coverage instrumentation.
        assertTrue(p50 < 2.0, "p50 " + p50 + " ms");
    }
}
