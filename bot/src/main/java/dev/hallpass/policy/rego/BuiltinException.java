package dev.hallpass.policy.rego;

/**
 * A built-in failed. {@code code} is {@code eval_type_error} or {@code eval_builtin_error}; the message
 * is OPA's: {@code "<builtin name>: <detail>"}, e.g. {@code "div: divide by zero"}.
 */
public final class BuiltinException extends RuntimeException {
    public static final String TYPE_ERROR = "eval_type_error";
    public static final String BUILTIN_ERROR = "eval_builtin_error";

    private final String code;

    public BuiltinException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
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
