package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.num;
import static dev.hallpass.policy.rego.builtins.Args.numV;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Arithmetic operators, rounding, numbers.range and to_number. */
final class Numbers {
    private Numbers() {}

    /** Exact decimal results longer than this are treated as float64 results, as OPA's floats are. */
    private static final int MAX_EXACT_DIGITS = 34;

    /** numbers.range refuses results larger than this before allocating anything. */
    static final long MAX_RANGE = 1_000_000L;

    static void register(Reg r) {
        r.fn("plus", 2, (ctx, a) -> Value.num(add(num("plus", a, 0), num("plus", a, 1))));
        r.fn("minus", 2, (ctx, a) -> minus(a));
        r.fn("mul", 2, (ctx, a) -> Value.num(num("mul", a, 0).multiply(num("mul", a, 1))));
        r.fn("div", 2, (ctx, a) -> div(num("div", a, 0), num("div", a, 1)));
        r.fn("rem", 2, (ctx, a) -> rem(numV("rem", a, 0), numV("rem", a, 1)));
        r.fn("abs", 1, (ctx, a) -> Value.num(num("abs", a, 0).abs()));
        r.fn("ceil", 1, (ctx, a) -> Value.num(toInteger(num("ceil", a, 0), RoundingMode.CEILING)));
        r.fn("floor", 1, (ctx, a) -> Value.num(toInteger(num("floor", a, 0), RoundingMode.FLOOR)));
        // Go's math.Round: halves away from zero.
        r.fn("round", 1, (ctx, a) -> Value.num(toInteger(num("round", a, 0), RoundingMode.HALF_UP)));
        r.fn("numbers.range", 2, (ctx, a) -> range(ctx, "numbers.range", a, BigInteger.ONE));
        r.fn("numbers.range_step", 3, (ctx, a) -> {
            BigInteger step = Args.integer("numbers.range_step", a, 2);
            if (step.signum() <= 0) {
                throw BuiltinException.error("numbers.range_step", "step must be a positive integer");
            }
            return range(ctx, "numbers.range_step", a, step);
        });
        r.fn("to_number", 1, (ctx, a) -> toNumber(a.get(0)));
    }

    private static Value minus(List<Value> a) {
        Value x = a.get(0);
        Value y = a.get(1);
        if (x instanceof Value.Num n && y instanceof Value.Num m) {
            return Value.num(add(n.value(), m.value().negate()));
        }
        if (x instanceof Value.SetV s && y instanceof Value.SetV t) {
            TreeSet<Value> out = new TreeSet<>(s.items());
            out.removeAll(t.items());
            return Value.set(out);
        }
        if (x instanceof Value.Num) {
            throw Args.typeErr("minus", 1, "number", y);
        }
        if (x instanceof Value.SetV) {
            throw Args.typeErr("minus", 1, "set", y);
        }
        throw Args.typeErr("minus", 0, "one of {number, set}", x);
    }

    /** Exact sum, unless the operands' magnitudes are so far apart that exactness would take megabytes. */
    static BigDecimal add(BigDecimal x, BigDecimal y) {
        if (Math.abs((long) x.scale() - y.scale()) > Args.MAX_INT_DIGITS) {
            return x.add(y, MathContext.DECIMAL128);
        }
        return x.add(y);
    }

    /** Rounds to an integer; values that already are integers (possibly with huge exponents) stay as they are. */
    static BigDecimal toInteger(BigDecimal d, RoundingMode mode) {
        return d.scale() <= 0 ? d : d.setScale(0, mode);
    }

    static Value div(BigDecimal x, BigDecimal y) {
        if (y.signum() == 0) {
            throw BuiltinException.error("div", "divide by zero");
        }
        try {
            if (x.precision() + y.precision() <= 4 * MAX_EXACT_DIGITS) {
                BigDecimal q = x.divide(y, MathContext.UNLIMITED);
                if (q.precision() <= MAX_EXACT_DIGITS) {
                    return Value.num(q);
                }
            }
        } catch (ArithmeticException nonTerminating) {
            // falls through to the float64 result OPA would print, e.g. 1/3 = 0.3333333333333333
        }
        return fromDouble(x.doubleValue() / y.doubleValue(), x.divide(y, MathContext.DECIMAL64));
    }

    /** The shortest decimal that reads back as d, or the fallback when d is not finite. */
    static Value.Num fromDouble(double d, BigDecimal fallback) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Value.num(fallback);
        }
        return Value.num(shortest(d));
    }

    /**
     * The shortest decimal that reads back as d, as Go's strconv prints it. Java 17's
     * Double.toString is occasionally longer (e.g. 4.9E-324 for 5e-324).
     */
    static BigDecimal shortest(double d) {
        if (d == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p < 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                return r;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static Value rem(Value.Num x, Value.Num y) {
        if (!x.isInteger() || !y.isInteger()) {
            throw BuiltinException.error("rem", "modulo on floating-point number");
        }
        if (y.value().signum() == 0) {
            throw BuiltinException.error("rem", "modulo by zero");
        }
        // Go's big.Int Rem truncates: the result has the sign of the dividend, as BigInteger's does.
        return Value.num(Args.bigInt("rem", x).remainder(Args.bigInt("rem", y)));
    }

    private static Value range(dev.hallpass.policy.rego.BuiltinContext ctx, String fn, List<Value> a, BigInteger step) {
        BigInteger from = Args.integer(fn, a, 0);
        BigInteger to = Args.integer(fn, a, 1);
        BigInteger span = to.subtract(from).abs();
        BigInteger n = span.divide(step).add(BigInteger.ONE);
        if (n.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) {
            throw BuiltinException.error(fn, "range too large (more than " + MAX_RANGE + " elements)");
        }
        int count = n.intValue();
        BigInteger delta = to.compareTo(from) >= 0 ? step : step.negate();
        List<Value> out = new ArrayList<>(count);
        BigInteger cur = from;
        for (int i = 0; i < count; i++) {
            if ((i & 0xfff) == 0xfff) {
                ctx.checkBudget();
            }
            out.add(Value.num(cur));
            cur = cur.add(delta);
        }
        return Value.array(out);
    }

    private static Value toNumber(Value v) {
        if (v instanceof Value.Num) {
            return v;
        }
        if (v instanceof Value.Null) {
            return Value.num(0);
        }
        if (v instanceof Value.Bool b) {
            return Value.num(b.value() ? 1 : 0);
        }
        if (v instanceof Value.Str s) {
            // Go's ParseFloat accepts these, but they are not Rego numbers; OPA reports a type error.
            if (s.value().matches("(?i)[+-]?(nan|inf|infinity)")) {
                throw Args.typeErr(
                        "to_number", "operand 1 must be a finite number string but got " + Strings.goQuote(s.value()));
            }
            BigDecimal d = parseGoFloat(s.value());
            if (d == null) {
                throw BuiltinException.error(
                        "to_number", "strconv.ParseFloat: parsing " + Strings.goQuote(s.value()) + ": invalid syntax");
            }
            return Value.num(d);
        }
        throw Args.typeErr("to_number", 0, "one of {null, boolean, number, string}", v);
    }

    /** Decimal syntax accepted by Go's strconv.ParseFloat that is also a finite JSON-like number. */
    static BigDecimal parseGoFloat(String s) {
        String t = s;
        if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
