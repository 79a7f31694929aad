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

    /** Input members at least this large (in JSON nodes) are worth remembering by identity. */
    private static final int LARGE_MEMBER = 256;

    private static final int REMEMBERED = 4;

    private final PolicySet policies;
    private final EvalOptions options;
    private final int moduleCount;
    private final Value data;
    /** The last large input members converted, by identity (e.g. the catalog shared across decisions). */
    private final JsonNode[] rememberedNodes = new JsonNode[REMEMBERED];

    private final Value[] rememberedValues = new Value[REMEMBERED];
    private int nextSlot;

    private EmbeddedRegoEngine(PolicySet policies, EvalOptions options, int moduleCount, Value data) {
        this.policies = policies;
        this.options = options;
        this.moduleCount = moduleCount;
        this.data = data;
    }

    /**
     * The same policies over a base {@code data} document (e.g. a catalog), converted here once rather
     * than on every decision. Policies read it as {@code data.<key>}; rules still win over base data
     * where both define a path, as in OPA.
     */
    public EmbeddedRegoEngine withData(JsonNode baseData) {
        if (baseData == null || !baseData.isObject()) {
            throw new IllegalArgumentException("base data must be a JSON object");
        }
        return new EmbeddedRegoEngine(policies, options, moduleCount, toValue(baseData));
    }

    /** The compiled policies, e.g. to evaluate queries directly. */
    public PolicySet policies() {
        return policies;
    }

    /**
     * Compiles {@code modules} (file name → source). Throws {@link RegoException} with OPA-style {@code
     * file:row:col: code: message} text when a module does not parse or compile.
     */
    public static EmbeddedRegoEngine compile(Map<String, String> modules, EvalOptions options) {
        RegoCompiler compiler = new RegoCompiler();
        new TreeMap<>(modules).forEach(compiler::addModule);
        return new EmbeddedRegoEngine(compiler.compile(), options, modules.size(), Value.EMPTY_OBJECT);
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
            Value in = input == null || input.isMissingNode() ? null : inputValue(input);
            Optional<Value> result = policies.evalRef(ref, in, data, options);
            if (result.isEmpty()) {
                return new PolicyResult.Undefined(Optional.empty());
            }
            return new PolicyResult.Defined(JSON.valueToTree(result.get().toJava()), Optional.empty());
        } catch (BudgetExceededException e) {
            return new PolicyResult.Failed(PolicyResult.Kind.BUDGET, "budget_exceeded", e.getMessage(), List.of());
        } catch (RegoException e) {
            PolicyResult.Kind kind = e.code().startsWith("rego_") ? PolicyResult.Kind.POLICY : PolicyResult.Kind.ERROR;
            return new PolicyResult.Failed(kind, e.code(), e.getMessage(), List.of());
        } catch (RuntimeException e) {
            // Fail closed on anything unexpected: a bug in the engine must never read as "allowed".
            return new PolicyResult.Failed(PolicyResult.Kind.ERROR, "internal_error", String.valueOf(e), List.of());
        }
    }

    /**
     * Converts the input; a large top-level member that is the very node converted for an earlier
     * decision (PolicyInput shares one catalog node per catalog) is reused, not converted again.
     */
    private Value inputValue(JsonNode input) {
        if (!input.isObject()) {
            return toValue(input);
        }
        Map<Value, Value> m = new TreeMap<>();
        for (var it = input.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode n = e.getValue();
            Value v = null;
            boolean large = n.isContainerNode() && atLeast(n, LARGE_MEMBER) >= LARGE_MEMBER;
            if (large) {
                synchronized (rememberedNodes) {
                    for (int i = 0; i < REMEMBERED; i++) {
                        if (rememberedNodes[i] == n) {
                            v = rememberedValues[i];
                        }
                    }
                }
            }
            if (v == null) {
                v = toValue(n);
                if (large) {
                    synchronized (rememberedNodes) {
                        rememberedNodes[nextSlot] = n;
                        rememberedValues[nextSlot] = v;
                        nextSlot = (nextSlot + 1) % REMEMBERED;
                    }
                }
            }
            m.put(Value.str(e.getKey()), v);
        }
        return Value.object(m);
    }

    /** Counts nodes up to {@code limit}, to tell a large member from a small one cheaply. */
    private static int atLeast(JsonNode n, int limit) {
        int count = 1;
        for (JsonNode c : n) {
            if (count >= limit) {
                return count;
            }
            count += c.isContainerNode() ? atLeast(c, limit - count) : 1;
        }
        return count;
    }

    /** JSON to a value directly, numbers exact. */
    static Value toValue(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT: {
                Map<Value, Value> m = new TreeMap<>();
                for (var it = n.fields(); it.hasNext(); ) {
                    var e = it.next();
                    m.put(Value.str(e.getKey()), toValue(e.getValue()));
                }
                return Value.object(m);
            }
            case ARRAY: {
                List<Value> l = new java.util.ArrayList<>(n.size());
                for (JsonNode c : n) {
                    l.add(toValue(c));
                }
                return Value.array(l);
            }
            case STRING:
                return Value.str(n.textValue());
            case BOOLEAN:
                return Value.bool(n.booleanValue());
            case NUMBER:
                return n.isIntegralNumber() ? Value.num(n.bigIntegerValue()) : Value.num(n.decimalValue());
            case NULL:
            case MISSING:
                return Value.NULL;
            default:
                throw new IllegalArgumentException("cannot convert " + n.getNodeType() + " to a Rego value");
        }
    }
}
