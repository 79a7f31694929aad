package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.Value;
import java.util.Map;

/** Values printed in Rego syntax, as OPA's ast.Value String() does (used by sprintf for composites). */
public final class RegoText {
    private RegoText() {}

    public static String of(Value v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    static void write(Value v, StringBuilder sb) {
        if (v instanceof Value.Str s) {
            sb.append(Strings.goQuote(s.value()));
        } else if (v instanceof Value.Arr a) {
            sb.append('[');
            join(a.items(), sb);
            sb.append(']');
        } else if (v instanceof Value.SetV s) {
            if (s.size() == 0) {
                sb.append("set()");
            } else {
                sb.append('{');
                join(s.items(), sb);
                sb.append('}');
            }
        } else if (v instanceof Value.Obj o) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                write(e.getKey(), sb);
                sb.append(": ");
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            sb.append(v);
        }
    }

    private static void join(Iterable<Value> items, StringBuilder sb) {
        boolean first = true;
        for (Value x : items) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            write(x, sb);
        }
    }
}
