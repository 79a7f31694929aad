package dev.hallpass.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.policy.rego.BudgetExceededException;
import dev.hallpass.policy.rego.EvalOptions;
import dev.hallpass.policy.rego.PolicySet;
import dev.hallpass.policy.rego.RegoCompiler;
import dev.hallpass.policy.rego.RegoException;
import dev.hallpass.policy.rego.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates policies in-process with Hallpass's own Rego engine: the same {@code .rego} files OPA would
 * run, for laptops, tests, the demo and CI where no OPA is configured.
 */
public final class EmbeddedRegoEngine implements PolicyEngine {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private final PolicySet policies;
    private final EvalOptions options;
    private final int moduleCount;

    private EmbeddedRegoEngine(PolicySet policies, EvalOptions options, int moduleCount) {
        this.policies = policies;
        this.options = options;
        this.moduleCount = moduleCount;
    }

    /**
     * Compiles {@code modules} (file name → source). Throws {@link RegoException} with OPA-style {@code
     * file:row:col: code: message} text when a module does not parse or compile.
     */
    public static EmbeddedRegoEngine compile(Map<String, String> modules, EvalOptions options) {
        RegoCompiler compiler = new RegoCompiler();
        new TreeMap<>(modules).forEach(compiler::addModule);
        return new EmbeddedRegoEngine(compiler.compile(), options, modules.size());
    }

    public static EmbeddedRegoEngine compile(Map<String, String> modules) {
        return compile(modules, EvalOptions.DEFAULT);
    }

    @Override
    public String describe() {
        return "embedded Rego (" + moduleCount + " modules)";
    }

    @Override
    public PolicyResult evaluate(String path, JsonNode input) {
        String ref = "data."
                + String.join(
                        ".",
                        List.of(path.split("[/.]")).stream()
                                .filter(s -> !s.isEmpty())
                                .toList());
        try {
            Value in = input == null || input.isMissingNode()
                    ? null
                    : Value.fromJava(JSON.treeToValue(input, Object.class));
            Optional<Value> result = policies.evalRef(ref, in, Value.EMPTY_OBJECT, options);
            if (result.isEmpty()) {
                return new PolicyResult.Undefined(Optional.empty());
            }
            return new PolicyResult.Defined(JSON.valueToTree(result.get().toJava()), Optional.empty());
        } catch (BudgetExceededException e) {
            return new PolicyResult.Failed(PolicyResult.Kind.BUDGET, "budget_exceeded", e.getMessage(), List.of());
        } catch (RegoException e) {
            PolicyResult.Kind kind = e.code().startsWith("rego_") ? PolicyResult.Kind.POLICY : PolicyResult.Kind.ERROR;
            return new PolicyResult.Failed(kind, e.code(), e.getMessage(), List.of());
        } catch (java.io.IOException | RuntimeException e) {
            // Fail closed on anything unexpected: a bug in the engine must never read as "allowed".
            return new PolicyResult.Failed(PolicyResult.Kind.ERROR, "internal_error", String.valueOf(e), List.of());
        }
    }
}
