package dev.hallpass.policy.rego;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegoBudgetTest {

    @Test
    void evalQuery_whenComprehensionsBlowUp_stopsAtStepBudget() {
        PolicySet ps = RegoCompiler.compile(
                "p.rego",
                """
                package t
                xs := [x | some x in [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]]
                p := count([[a, b, c, d, e] | some a in xs; some b in xs; some c in xs; some d in xs; some e in xs])
                """);
        BudgetExceededException e = assertThrows(
                BudgetExceededException.class,
                () -> ps.evalQuery(
                        "data.t.p",
                        null,
                        null,
                        EvalOptions.DEFAULT.withMaxSteps(100_000).withTimeBudget(Duration.ofSeconds(30))));
        assertTrue(e.getMessage().contains("100000 steps"), e.getMessage());
    }

    @Test
    void evalQuery_whenEvaluationIsSlow_stopsAtTimeBudget() {
        PolicySet ps = RegoCompiler.compile(
                "p.rego",
                """
                package t
                xs := [x | some x in [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]]
                p := count([1 | some a in xs; some b in xs; some c in xs; some d in xs; some e in xs; some f in xs])
                """);
        EvalOptions opts = EvalOptions.DEFAULT.withMaxSteps(Long.MAX_VALUE).withTimeBudget(Duration.ofMillis(200));
        BudgetExceededException e = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThrows(BudgetExceededException.class, () -> ps.evalQuery("data.t.p", null, null, opts)));
        assertTrue(e.getMessage().contains("time budget of 200 ms"), e.getMessage());
    }

    @Test
    void evalQuery_whenFunctionRecursesThroughData_stopsAtDepthLimit() {
        // Recursion that the compiler cannot see (dynamic ref) must still end cleanly.
        PolicySet ps = RegoCompiler.compile(
                "p.rego",
                """
                package t
                p := data[input.pkg].q
                q := data[input.pkg].p
                """);
        Value input = Rego.parseValue("{\"pkg\": \"t\"}");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ps.evalQuery("data.t.p", input, null));
        assertTrue(
                e instanceof BudgetExceededException
                        || (e instanceof RegoException re && re.code().equals("rego_recursion_error")),
                e.toString());
    }

    @Test
    void evalQuery_whenManyNestedFunctionCalls_neverOverflowsStack() {
        StringBuilder src = new StringBuilder("package t\nf0(x) := x + 1\n");
        for (int i = 1; i <= 1000; i++) {
            src.append("f").append(i).append("(x) := f").append(i - 1).append("(x) + 1\n");
        }
        src.append("p := f1000(0)\n");
        PolicySet ps = RegoCompiler.compile("p.rego", src.toString());
        BudgetExceededException e = assertThrows(
                BudgetExceededException.class,
                () -> ps.evalQuery("data.t.p", null, null, EvalOptions.DEFAULT.withMaxDepth(200)));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }
}
