package dev.hallpass.policy.rego;

/** Compact JSON text for values, with object keys in canonical order, as OPA's json.marshal writes it. */
final class Json {
    private Json() {}

    static void write(Value v, StringBuilder sb) {
        if (v instanceof Value.Null) {
            sb.append("null");
        } else if (v instanceof Value.Bool b) {
            sb.append(b.value());
        } else if (v instanceof Value.Num n) {
            sb.append(n);
        } else if (v instanceof Value.Str s) {
            quote(s.value(), sb);
        } else if (v instanceof Value.Arr a) {
            writeSeq(a.items(), sb);
        } else if (v instanceof Value.SetV s) {
            writeSeq(s.items(), sb);
        } else {
            Value.Obj o = (Value.Obj) v;
            sb.append('{');
            boolean first = true;
            for (var e : o.entries().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(e.getKey() instanceof Value.Str s ? s.value() : e.getKey().toJson(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        }
    }

    private static void writeSeq(Iterable<Value> items, StringBuilder sb) {
        sb.append('[');
        boolean first = true;
        for (Value x : items) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            write(x, sb);
        }
        sb.append(']');
    }

    /** Quotes like Go's encoding/json: escapes control characters, quotes, backslash and &lt; &gt; &amp;. */
    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
