package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.Args.str;

import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** base64, base64url, hex and urlquery built-ins. */
final class Encoding {
    private Encoding() {}

    static void register(Reg r) {
        r.fn(
                "base64.encode",
                1,
                (ctx, a) -> Value.str(Base64.getEncoder().encodeToString(Args.utf8(str("base64.encode", a, 0)))));
        r.fn(
                "base64.decode",
                1,
                (ctx, a) -> Value.str(Args.goString(b64decode("base64.decode", str("base64.decode", a, 0)))));
        r.fn("base64.is_valid", 1, (ctx, a) -> {
            try {
                b64decode("base64.is_valid", str("base64.is_valid", a, 0));
                return Value.TRUE;
            } catch (BuiltinException e) {
                return Value.FALSE;
            }
        });
        r.fn(
                "base64url.encode",
                1,
                (ctx, a) -> Value.str(Base64.getUrlEncoder().encodeToString(Args.utf8(str("base64url.encode", a, 0)))));
        r.fn(
                "base64url.encode_no_pad",
                1,
                (ctx, a) -> Value.str(Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(Args.utf8(str("base64url.encode_no_pad", a, 0)))));
        r.fn("base64url.decode", 1, (ctx, a) -> {
            String s = str("base64url.decode", a, 0).replace("\r", "").replace("\n", "");
            // RFC 7515 encoders may omit the padding; OPA restores it before strict decoding.
            if (!s.endsWith("=")) {
                switch (s.length() % 4) {
                    case 0 -> {}
                    case 2 -> s = s + "==";
                    case 3 -> s = s + "=";
                    default -> throw BuiltinException.error("base64url.decode", "illegal base64url string: " + s);
                }
            }
            if (!s.matches("[A-Za-z0-9_-]*=*") || s.length() % 4 != 0) {
                throw BuiltinException.error(
                        "base64url.decode", "illegal base64 data at input byte " + firstBad(s, true));
            }
            try {
                return Value.str(Args.goString(Base64.getUrlDecoder().decode(s)));
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("base64url.decode", "illegal base64 data at input byte 0");
            }
        });
        r.fn("hex.encode", 1, (ctx, a) -> {
            StringBuilder sb = new StringBuilder();
            for (byte b : Args.utf8(str("hex.encode", a, 0))) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return Value.str(sb.toString());
        });
        r.fn("hex.decode", 1, (ctx, a) -> Value.str(Args.goString(hexDecode(str("hex.decode", a, 0)))));
        r.fn("urlquery.encode", 1, (ctx, a) -> Value.str(queryEscape(str("urlquery.encode", a, 0))));
        r.fn(
                "urlquery.decode",
                1,
                (ctx, a) -> Value.str(queryUnescape("urlquery.decode", str("urlquery.decode", a, 0))));
        r.fn("urlquery.encode_object", 1, (ctx, a) -> {
            Value.Obj o = Args.obj("urlquery.encode_object", a, 0);
            TreeMap<String, List<String>> values = new TreeMap<>();
            for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
                if (!(e.getKey() instanceof Value.Str k)) {
                    throw Args.typeErr("urlquery.encode_object", "operand 1 must be object with string keys");
                }
                List<String> vs = values.computeIfAbsent(k.value(), x -> new ArrayList<>());
                Value v = e.getValue();
                if (v instanceof Value.Str s) {
                    vs.add(s.value());
                } else if (v instanceof Value.Arr || v instanceof Value.SetV) {
                    Iterable<Value> items = v instanceof Value.Arr x ? x : (Value.SetV) v;
                    for (Value x : items) {
                        if (!(x instanceof Value.Str s)) {
                            throw Args.typeErr(
                                    "urlquery.encode_object",
                                    "operand 1 values must be strings, arrays of strings or sets of strings");
                        }
                        vs.add(s.value());
                    }
                } else {
                    throw Args.typeErr(
                            "urlquery.encode_object",
                            "operand 1 values must be strings, arrays of strings or sets of strings");
                }
            }
            StringBuilder sb = new StringBuilder();
            values.forEach((k, vs) -> {
                for (String v : vs) {
                    if (sb.length() > 0) {
                        sb.append('&');
                    }
                    sb.append(queryEscape(k)).append('=').append(queryEscape(v));
                }
            });
            return Value.str(sb.toString());
        });
        r.fn("urlquery.decode_object", 1, (ctx, a) -> {
            String s = str("urlquery.decode_object", a, 0);
            Map<String, List<Value>> out = new LinkedHashMap<>();
            for (String part : s.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.contains(";")) {
                    throw BuiltinException.error("urlquery.decode_object", "invalid semicolon separator in query");
                }
                int eq = part.indexOf('=');
                String k = queryUnescape("urlquery.decode_object", eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : queryUnescape("urlquery.decode_object", part.substring(eq + 1));
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(Value.str(v));
            }
            Map<Value, Value> obj = new LinkedHashMap<>();
            out.forEach((k, vs) -> obj.put(Value.str(k), Value.array(vs)));
            return Value.object(obj);
        });
    }

    /** Go's StdEncoding: padding required, newlines ignored. */
    static byte[] b64decode(String fn, String s) {
        String t = s.replace("\r", "").replace("\n", "");
        if (!t.matches("[A-Za-z0-9+/]*={0,2}") || t.length() % 4 != 0) {
            throw BuiltinException.error(fn, "illegal base64 data at input byte " + firstBad(t, false));
        }
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error(fn, "illegal base64 data at input byte 0");
        }
    }

    private static int firstBad(String s, boolean url) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || (url ? c == '-' || c == '_' : c == '+' || c == '/');
            if (!ok) {
                return i;
            }
        }
        return s.length() - s.length() % 4;
    }

    static byte[] hexDecode(String s) {
        byte[] src = Args.utf8(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int j = 1;
        for (; j < src.length; j += 2) {
            int hi = Character.digit(src[j - 1], 16);
            int lo = Character.digit(src[j], 16);
            if (hi < 0) {
                throw invalidHex(src[j - 1]);
            }
            if (lo < 0) {
                throw invalidHex(src[j]);
            }
            out.write(hi << 4 | lo);
        }
        if (src.length % 2 == 1) {
            if (Character.digit(src[j - 1], 16) < 0) {
                throw invalidHex(src[j - 1]);
            }
            throw BuiltinException.error("hex.decode", "encoding/hex: odd length hex string");
        }
        return out.toByteArray();
    }

    private static BuiltinException invalidHex(byte b) {
        int c = b & 0xff;
        String shown = c >= 0x20 && c < 0x7f ? " '" + (char) c + "'" : "";
        return BuiltinException.error("hex.decode", String.format("encoding/hex: invalid byte: U+%04X%s", c, shown));
    }

    /** Go's url.QueryEscape. */
    static String queryEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Go's url.QueryUnescape. */
    static String queryUnescape(String fn, String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = Args.utf8(s);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '%') {
                if (i + 2 >= b.length || Character.digit(b[i + 1], 16) < 0 || Character.digit(b[i + 2], 16) < 0) {
                    String bad = s.substring(Math.min(s.length(), i), Math.min(s.length(), i + 3));
                    throw BuiltinException.error(fn, "invalid URL escape " + Strings.goQuote(bad));
                }
                out.write(Character.digit(b[i + 1], 16) << 4 | Character.digit(b[i + 2], 16));
                i += 2;
            } else if (b[i] == '+') {
                out.write(' ');
            } else {
                out.write(b[i]);
            }
        }
        return Args.goString(out.toByteArray());
    }
}
