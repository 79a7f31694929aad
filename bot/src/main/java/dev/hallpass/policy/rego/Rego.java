package dev.hallpass.policy.rego;

import java.util.HashMap;

/** Small entry points: parse Rego term source into a value. */
public final class Rego {
    private Rego() {}

    /** Parses a ground Rego term ({@code {"a": {1, 2}}}, {@code set()}, ...) into a value. */
    public static Value parseValue(String source) {
        Ast.Term t = Parser.parseTerm(source);
        Evaluator ev = new Evaluator(Empty.POLICY, null, null, EvalOptions.DEFAULT);
        Value[] out = {null};
        ev.term(t, new HashMap<>(), v -> {
            out[0] = v;
            return true;
        });
        if (out[0] == null) {
            throw RegoException.compile("rego_parse_error", "term is not a ground value", t.loc());
        }
        return out[0];
    }

    private static final class Empty {
        static final PolicySet POLICY = new RegoCompiler().compile();
    }
}
