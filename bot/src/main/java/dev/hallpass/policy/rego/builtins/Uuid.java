package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** uuid.rfc4122 (random, one per key per evaluation) and uuid.parse (google/uuid's fields). */
final class Uuid {
    private Uuid() {}

    /** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
    private static final long GREGORIAN_TO_UNIX = 122192928000000000L;

    static void register(Reg r) {
        r.fn("uuid.rfc4122", 1, (ctx, a) -> {
            String key = Args.str("uuid.rfc4122", a, 0);
            return (Value) ctx.cache()
                    .computeIfAbsent(
                            List.of("uuid.rfc4122", key),
                            k -> Value.str(UUID.randomUUID().toString()));
        });
        r.fn("uuid.parse", 1, (ctx, a) -> parse(Args.str("uuid.parse", a, 0)));
    }

    /** Accepts the forms google/uuid.Parse does; undefined when the text is not a UUID. */
    static Value parse(String s) {
        String hex;
        if (s.length() == 36 + 9 && s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
        } else if (s.length() == 38 && s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, 37);
        }
        if (s.length() == 36) {
            if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            hex = s.replace("-", "");
        } else if (s.length() == 32) {
            hex = s;
        } else {
            return null;
        }
        if (hex.length() != 32 || !hex.matches("[0-9a-fA-F]{32}")) {
            return null;
        }
        byte[] u = new byte[16];
        for (int i = 0; i < 16; i++) {
            u[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        int version = (u[6] & 0xff) >> 4;
        Map<Value, Value> out = new LinkedHashMap<>();
        out.put(Value.str("version"), Value.num(version));
        out.put(Value.str("variant"), Value.str(variant(u[8] & 0xff)));
        if (version == 1 || version == 2) {
            long timeLow = ((u[0] & 0xffL) << 24) | ((u[1] & 0xffL) << 16) | ((u[2] & 0xffL) << 8) | (u[3] & 0xffL);
            long timeMid = ((u[4] & 0xffL) << 8) | (u[5] & 0xffL);
            long timeHi = (((u[6] & 0xffL) << 8) | (u[7] & 0xffL)) & 0xfff;
            // google/uuid reads the time fields the same way for versions 1 and 2.
            long t = (timeHi << 48) | (timeMid << 32) | timeLow;
            out.put(
                    Value.str("time"),
                    Value.num(java.math.BigInteger.valueOf(t - GREGORIAN_TO_UNIX)
                            .multiply(java.math.BigInteger.valueOf(100))));
            out.put(Value.str("clocksequence"), Value.num(((u[8] & 0x3f) << 8) | (u[9] & 0xff)));
            StringBuilder node = new StringBuilder();
            for (int i = 10; i < 16; i++) {
                if (i > 10) {
                    node.append('-');
                }
                node.append(String.format("%02x", u[i] & 0xff));
            }
            out.put(Value.str("nodeid"), Value.str(node.toString()));
            int n0 = u[10] & 0xff;
            out.put(
                    Value.str("macvariables"),
                    Value.str(((n0 & 2) != 0 ? "local" : "global") + ":" + ((n0 & 1) != 0 ? "multicast" : "unicast")));
            if (version == 2) {
                out.put(Value.str("id"), Value.num(timeLow));
                int domain = u[9] & 0xff;
                out.put(
                        Value.str("domain"),
                        Value.str(
                                domain == 0
                                        ? "Person"
                                        : domain == 1 ? "Group" : domain == 2 ? "Org" : "Domain" + domain));
            }
        }
        return Value.object(out);
    }

    private static String variant(int b) {
        if ((b & 0xc0) == 0x80) {
            return "RFC4122";
        }
        if ((b & 0xe0) == 0xc0) {
            return "Microsoft";
        }
        if ((b & 0xe0) == 0xe0) {
            return "Future";
        }
        return "Reserved";
    }
}
