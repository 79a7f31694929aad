package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinContext;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** net.cidr_* with Go's net package parsing and printing, for IPv4 and IPv6. */
final class Net {
    private Net() {}

    /** cidr_expand refuses networks with more addresses than this. */
    static final long MAX_EXPAND = 1L << 20;

    /** A network or address: bits is 32 or 128, start is the masked network address. */
    record Cidr(BigInteger ip, int prefix, int bits) {
        BigInteger start() {
            return ip.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        }

        BigInteger end() {
            return start().add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE);
        }

        boolean contains(BigInteger addr, int addrBits) {
            return addrBits == bits && start().compareTo(addr) <= 0 && end().compareTo(addr) >= 0;
        }
    }

    static void register(Reg r) {
        r.fn("net.cidr_contains", 2, (ctx, a) -> contains("net.cidr_contains", a));
        r.fn("net.cidr_overlap", 2, (ctx, a) -> contains("net.cidr_overlap", a));
        r.fn("net.cidr_intersects", 2, (ctx, a) -> {
            Cidr x = cidrOrError("net.cidr_intersects", str("net.cidr_intersects", a, 0));
            Cidr y = cidrOrError("net.cidr_intersects", str("net.cidr_intersects", a, 1));
            return Value.bool(x.contains(y.start(), y.bits()) || y.contains(x.start(), x.bits()));
        });
        r.fn(
                "net.cidr_is_valid",
                1,
                (ctx, a) -> Value.bool(a.get(0) instanceof Value.Str s && parseCidr(s.value()) != null));
        r.fn("net.cidr_expand", 1, (ctx, a) -> {
            Cidr c = cidrOrError("net.cidr_expand", str("net.cidr_expand", a, 0));
            if (c.bits() - c.prefix() > 20) {
                throw BuiltinException.error(
                        "net.cidr_expand", "network too large to expand (more than " + MAX_EXPAND + " addresses)");
            }
            TreeSet<Value> out = new TreeSet<>();
            BigInteger end = c.end();
            int k = 0;
            for (BigInteger ip = c.start(); ip.compareTo(end) <= 0; ip = ip.add(BigInteger.ONE)) {
                if ((++k & 0xfff) == 0) {
                    ctx.checkBudget();
                }
                out.add(Value.str(format(ip, c.bits())));
            }
            return Value.set(out);
        });
        r.fn("net.cidr_contains_matches", 2, (ctx, a) -> containsMatches(ctx, a));
        r.fn(
                "net.cidr_merge",
                1,
                (ctx, a) -> merge(ctx, Args.collection("net.cidr_merge", a, 0, "one of {set, array}")));
    }

    private static Cidr cidrOrError(String fn, String s) {
        Cidr c = parseCidr(s);
        if (c == null) {
            throw BuiltinException.error(fn, "invalid CIDR address: " + s);
        }
        return c;
    }

    private static Value contains(String fn, List<Value> a) {
        Cidr net = cidrOrError(fn, str(fn, a, 0));
        String other = str(fn, a, 1);
        return Value.bool(containsCidrOrIp(fn, net, other));
    }

    private static boolean containsCidrOrIp(String fn, Cidr net, String other) {
        byte[] ip = parseIp(other);
        if (ip != null) {
            return containsAddr(net, ip);
        }
        Cidr c = parseCidr(other);
        if (c == null) {
            throw BuiltinException.error(fn, "invalid CIDR address: " + other);
        }
        return net.contains(c.start(), c.bits()) && net.contains(c.end(), c.bits());
    }

    /** As Go's IPNet.Contains: an address with an IPv4 form is only ever inside IPv4 networks. */
    private static boolean containsAddr(Cidr net, byte[] ip) {
        byte[] v4 = to4(ip);
        if (net.bits() == 32) {
            return v4 != null && net.contains(new BigInteger(1, v4), 32);
        }
        return v4 == null && net.contains(new BigInteger(1, ip), 128);
    }

    private static Value containsMatches(BuiltinContext ctx, List<Value> a) {
        String fn = "net.cidr_contains_matches";
        Map<Value, String> cidrs = entries(fn, a.get(0), 1);
        Map<Value, String> others = entries(fn, a.get(1), 2);
        TreeSet<Value> out = new TreeSet<>();
        for (Map.Entry<Value, String> c : cidrs.entrySet()) {
            Cidr net = cidrOrError(fn, c.getValue());
            for (Map.Entry<Value, String> o : others.entrySet()) {
                ctx.checkBudget();
                if (containsCidrOrIp(fn, net, o.getValue())) {
                    out.add(Value.array(c.getKey(), o.getKey()));
                }
            }
        }
        return Value.set(out);
    }

    /** Keys (index, element or object key) to the CIDR text of each element. */
    private static Map<Value, String> entries(String fn, Value v, int pos) {
        Map<Value, String> out = new LinkedHashMap<>();
        if (v instanceof Value.Str s) {
            out.put(s, s.value());
        } else if (v instanceof Value.Arr arr) {
            for (int i = 0; i < arr.size(); i++) {
                out.put(Value.num(i), element(fn, arr.get(i), pos));
            }
        } else if (v instanceof Value.SetV set) {
            for (Value x : set) {
                out.put(x, element(fn, x, pos));
            }
        } else if (v instanceof Value.Obj o) {
            o.entries().forEach((k, x) -> out.put(k, element(fn, x, pos)));
        } else {
            throw Args.typeErr(fn, pos - 1, "one of {string, array, set, object}", v);
        }
        return out;
    }

    private static String element(String fn, Value x, int pos) {
        if (x instanceof Value.Str s) {
            return s.value();
        }
        if (x instanceof Value.Arr arr && arr.size() > 0 && arr.get(0) instanceof Value.Str s) {
            return s.value();
        }
        throw BuiltinException.error(fn, "operand " + pos + ": element must be string or non-empty array");
    }

    private static Value merge(BuiltinContext ctx, java.util.Collection<Value> items) {
        List<Cidr> v4 = new ArrayList<>();
        List<Cidr> v6 = new ArrayList<>();
        for (Value x : items) {
            if (!(x instanceof Value.Str s)) {
                throw Args.typeErr(
                        "net.cidr_merge",
                        "operand 1 must be array of strings but got array containing " + x.typeName());
            }
            Cidr c = parseCidr(s.value());
            if (c == null) {
                byte[] ip = parseIp(s.value());
                if (ip == null) {
                    throw BuiltinException.error("net.cidr_merge", "IP address " + s.value() + " invalid");
                }
                byte[] four = to4(ip);
                if (four == null) {
                    throw BuiltinException.error("net.cidr_merge", "IPv6 invalid: needs prefix length");
                }
                int first = four[0] & 0xff;
                int prefix = first < 0x80 ? 8 : first < 0xc0 ? 16 : 24;
                c = new Cidr(new BigInteger(1, four), prefix, 32);
            }
            Cidr masked = new Cidr(c.start(), c.prefix(), c.bits());
            (masked.bits() == 32 ? v4 : v6).add(masked);
        }
        TreeSet<Value> out = new TreeSet<>();
        for (List<Cidr> group : List.of(v4, v6)) {
            for (Cidr c : mergeGroup(ctx, group)) {
                out.add(Value.str(format(c.start(), c.bits()) + "/" + c.prefix()));
            }
        }
        return Value.set(out);
    }

    /** Drops networks inside others, then joins sibling halves until nothing changes. */
    private static List<Cidr> mergeGroup(BuiltinContext ctx, List<Cidr> in) {
        List<Cidr> sorted = new ArrayList<>(in);
        sorted.sort((x, y) -> {
            int c = x.start().compareTo(y.start());
            return c != 0 ? c : Integer.compare(x.prefix(), y.prefix());
        });
        List<Cidr> stack = new ArrayList<>();
        for (Cidr c : sorted) {
            ctx.checkBudget();
            if (!stack.isEmpty()) {
                Cidr top = stack.get(stack.size() - 1);
                if (top.contains(c.start(), c.bits()) && top.contains(c.end(), c.bits())) {
                    continue;
                }
            }
            stack.add(c);
            while (stack.size() >= 2) {
                Cidr b = stack.get(stack.size() - 1);
                Cidr x = stack.get(stack.size() - 2);
                if (x.prefix() == b.prefix() && x.prefix() > 0) {
                    Cidr parent = new Cidr(x.start(), x.prefix() - 1, x.bits());
                    if (parent.start().equals(x.start())
                            && x.end().add(BigInteger.ONE).equals(b.start())) {
                        stack.remove(stack.size() - 1);
                        stack.set(stack.size() - 1, new Cidr(parent.start(), parent.prefix(), parent.bits()));
                        continue;
                    }
                }
                break;
            }
        }
        return stack;
    }

    // --------------------------------------------------------------------------- Go net parsing

    /** Go's net.ParseCIDR; null when invalid. */
    static Cidr parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String addr = s.substring(0, slash);
        String mask = s.substring(slash + 1);
        byte[] ip = addr.contains(":") ? parseIp6(addr) : parseIp4(addr);
        if (ip == null || !mask.matches("[0-9]{1,6}")) {
            return null;
        }
        int bits = ip.length * 8;
        int prefix = Integer.parseInt(mask);
        if (prefix > bits) {
            return null;
        }
        byte[] v4 = ip.length == 16 ? to4(ip) : null;
        if (v4 != null) {
            // Go treats an IPv4-mapped IPv6 network as the IPv4 network under the low 32 bits of its mask.
            return new Cidr(new BigInteger(1, v4), Math.max(0, prefix - 96), 32);
        }
        return new Cidr(new BigInteger(1, ip), prefix, bits);
    }

    /** Go's net.ParseIP: 4 bytes for dotted IPv4, 16 for IPv6; null when invalid. */
    static byte[] parseIp(String s) {
        return s.contains(":") ? parseIp6(s) : parseIp4(s);
    }

    static byte[] parseIp4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (!p.matches("0|[1-9][0-9]{0,2}")) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static byte[] parseIp6(String s) {
        byte[] out = new byte[16];
        int ellipsis = -1;
        int j = 0; // bytes written
        int i = 0;
        if (s.startsWith("::")) {
            ellipsis = 0;
            i = 2;
            if (i == s.length()) {
                return out;
            }
        }
        while (j < 16) {
            int k = i;
            while (k < s.length() && Character.digit(s.charAt(k), 16) >= 0 && k - i < 5) {
                k++;
            }
            if (k == i || k - i > 4) {
                return null;
            }
            if (k < s.length() && s.charAt(k) == '.') {
                if (ellipsis < 0 && j != 12 || j + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseIp4(s.substring(i));
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, j, 4);
                j += 4;
                i = s.length();
                break;
            }
            int v = Integer.parseInt(s.substring(i, k), 16);
            out[j] = (byte) (v >> 8);
            out[j + 1] = (byte) v;
            j += 2;
            i = k;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == s.length()) {
                return null;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = j;
                i++;
                if (i == s.length()) {
                    break;
                }
            }
        }
        if (i != s.length()) {
            return null;
        }
        if (j < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - j;
            for (int k = j - 1; k >= ellipsis; k--) {
                out[k + n] = out[k];
            }
            for (int k = ellipsis + n - 1; k >= ellipsis; k--) {
                out[k] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        return out;
    }

    /** The IPv4 form of a 4-byte or IPv4-mapped 16-byte address, else null. */
    static byte[] to4(byte[] ip) {
        if (ip.length == 4) {
            return ip;
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return null;
            }
        }
        if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) {
            return null;
        }
        return java.util.Arrays.copyOfRange(ip, 12, 16);
    }

    /** Go's IP.String: dotted IPv4, or IPv6 with the longest run of zero groups as "::". */
    static String format(BigInteger ip, int bits) {
        byte[] raw = ip.toByteArray();
        byte[] b = new byte[bits / 8];
        int copy = Math.min(raw.length, b.length);
        System.arraycopy(raw, raw.length - copy, b, b.length - copy, copy);
        if (bits == 32) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        byte[] v4 = to4(b);
        if (v4 != null) {
            return format(new BigInteger(1, v4), 32);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
