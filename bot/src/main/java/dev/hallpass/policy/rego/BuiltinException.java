package dev.hallpass.policy.rego;

/**
 * A built-in failed. {@code code} is {@code eval_type_error} or {@code eval_builtin_error}; the message
 * is OPA's: {@code "<builtin name>: <detail>"}, e.g. {@code "div: divide by zero"}.
 */
public final class BuiltinException extends RuntimeException {
    public static final String TYPE_ERROR = "eval_type_error";
    public static final String BUILTIN_ERROR = "eval_builtin_error";

    private final String code;
    private final boolean halts;

    public BuiltinException(String code, String message) {
        this(code, message, false);
    }

    private BuiltinException(String code, String message, boolean halts) {
        super(message, null, false, false);
        this.code = code;
        this.halts = halts;
    }

    public String code() {
        return code;
    }

    /** Whether the error ends the whole evaluation even without strict built-in errors. */
    public boolean halts() {
        return halts;
    }

    /**
     * An error that ends the evaluation (OPA's halt errors): for built-ins Hallpass refuses to run, such as
     * {@code http.send}, where an undefined result could let a {@code deny} rule pass silently.
     */
    public static BuiltinException halt(String builtin, String detail) {
        return new BuiltinException(BUILTIN_ERROR, builtin + ": " + detail, true);
    }

    /** {@code "<name>: operand <n> must be <expected> but got <actual type>"}. */
    public static BuiltinException operand(String builtin, int position, String expected, Value got) {
        return new BuiltinException(
                TYPE_ERROR, builtin + ": operand " + position + " must be " + expected + " but got " + got.typeName());
    }

    public static BuiltinException error(String builtin, String detail) {
        return new BuiltinException(BUILTIN_ERROR, builtin + ": " + detail);
    }
}
