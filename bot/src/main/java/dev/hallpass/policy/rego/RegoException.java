package dev.hallpass.policy.rego;

/**
 * A Rego parse, compile or evaluation error. {@link #getMessage()} is OPA's full text, e.g. {@code
 * policy.rego:3:5: rego_unsafe_var_error: var x is unsafe} or {@code test-0.rego:4: eval_type_error: ...}.
 */
public class RegoException extends RuntimeException {
    private final String code;
    private final String detail;
    private final Ast.Loc loc;

    public RegoException(String code, String detail, Ast.Loc loc, boolean withColumn) {
        super(format(code, detail, loc, withColumn), null, false, false);
        this.code = code;
        this.detail = detail;
        this.loc = loc;
    }

    public static RegoException compile(String code, String detail, Ast.Loc loc) {
        return new RegoException(code, detail, loc, true);
    }

    public static RegoException eval(String code, String detail, Ast.Loc loc) {
        return new RegoException(code, detail, loc, false);
    }

    private static String format(String code, String detail, Ast.Loc loc, boolean withColumn) {
        if (loc == null) {
            return code + ": " + detail;
        }
        return loc.file() + ":" + loc.row() + (withColumn ? ":" + loc.col() : "") + ": " + code + ": " + detail;
    }

    /** e.g. {@code rego_parse_error}, {@code eval_conflict_error}. */
    public String code() {
        return code;
    }

    /** The message without file, position and code. */
    public String detail() {
        return detail;
    }

    public Ast.Loc loc() {
        return loc;
    }
}
