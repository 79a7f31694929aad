package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigInteger;
import java.util.List;

/** bits.* on arbitrary-precision integers, as Go's big.Int does them. */
final class Bits {
    private Bits() {}

    /** Shifts past this many bits would build absurd numbers; they are refused. */
    private static final int MAX_SHIFT = 1 << 16;

    static void register(Reg r) {
        r.fn("bits.and", 2, (ctx, a) -> Value.num(Args.integer("bits.and", a, 0).and(Args.integer("bits.and", a, 1))));
        r.fn("bits.or", 2, (ctx, a) -> Value.num(Args.integer("bits.or", a, 0).or(Args.integer("bits.or", a, 1))));
        r.fn("bits.xor", 2, (ctx, a) -> Value.num(Args.integer("bits.xor", a, 0).xor(Args.integer("bits.xor", a, 1))));
        r.fn(
                "bits.negate",
                1,
                (ctx, a) -> Value.num(Args.integer("bits.negate", a, 0).not()));
        r.fn("bits.lsh", 2, (ctx, a) -> Value.num(Args.integer("bits.lsh", a, 0).shiftLeft(shift("bits.lsh", a))));
        r.fn("bits.rsh", 2, (ctx, a) -> Value.num(Args.integer("bits.rsh", a, 0).shiftRight(shift("bits.rsh", a))));
    }

    private static int shift(String fn, List<Value> a) {
        BigInteger s = Args.integer(fn, a, 1);
        if (s.signum() < 0) {
            throw Args.typeErr(fn, "operand 2 must be an unsigned integer number but got a negative integer");
        }
        if (s.compareTo(BigInteger.valueOf(MAX_SHIFT)) > 0) {
            throw BuiltinException.error(fn, "shift too large");
        }
        return s.intValue();
    }
}
