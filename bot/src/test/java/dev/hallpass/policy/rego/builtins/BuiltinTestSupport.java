package dev.hallpass.policy.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.Builtin;
import dev.hallpass.policy.rego.BuiltinContext;
import dev.hallpass.policy.rego.BuiltinException;
import dev.hallpass.policy.rego.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls built-ins directly, with arguments and expectations written as Rego terms. */
final class BuiltinTestSupport {
    private BuiltinTestSupport() {}

    /** A fixed clock and a fresh cache, like one evaluation. */
    static class TestContext implements BuiltinContext {
        final Map<Object, Object> cache = new HashMap<>();
        long budgetChecks;

        @Override
        public long nowNs() {
            return 1_670_006_453_141_828_752L;
        }

        @Override
        public Map<Object, Object> cache() {
            return cache;
        }

        @Override
        public void checkBudget() {
            budgetChecks++;
        }
    }

    static Value call(BuiltinContext ctx, String name, List<Value> args) {
        Builtin b = Builtins.standard().get(name);
        assertNotNull(b, "not registered: " + name);
        assertEquals(b.arity(), args.size(), "arity of " + name);
        return b.impl().call(ctx, args);
    }

    static Value call(String name, String argsTerm) {
        Value args = term(argsTerm);
        return call(new TestContext(), name, ((Value.Arr) args).items());
    }

    /** expected "undefined" means the call has no result. */
    static void assertCall(String name, String argsTerm, String expectedTerm) {
        Value got = call(name, argsTerm);
        if (expectedTerm.equals("undefined")) {
            assertNull(got, name + argsTerm);
            return;
        }
        assertNotNull(got, name + argsTerm + " was undefined");
        Value want = term(expectedTerm);
        // The message is built lazily: printing a number like 1e100000000 in full takes very long.
        assertEquals(0, want.compareTo(got), () -> name + argsTerm + ": want " + want + " got " + got);
    }

    static BuiltinException assertError(String name, String argsTerm, String code, String messagePart) {
        BuiltinException e = assertThrows(BuiltinException.class, () -> call(name, argsTerm), name + argsTerm);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message: " + e.getMessage() + " lacks: " + messagePart);
        return e;
    }

    // ----------------------------------------------------------------------- Rego term parser

    static Value term(String src) {
        Parser p = new Parser(src);
        Value v = p.value();
        p.ws();
        if (p.i != src.length()) {
            throw new IllegalArgumentException("trailing text in term: " + src.substring(p.i));
        }
        return v;
    }

    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        Value value() {
            ws();
            char c = s.charAt(i);
            if (c == '[') {
                i++;
                List<Value> items = new ArrayList<>();
                ws();
                while (s.charAt(i) != ']') {
                    items.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                        ws();
                    }
                }
                i++;
                return Value.array(items);
            }
            if (c == '{') {
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return Value.EMPTY_OBJECT;
                }
                Value first = value();
                ws();
                if (s.charAt(i) == ':') {
                    Map<Value, Value> m = new LinkedHashMap<>();
                    i++;
                    m.put(first, value());
                    ws();
                    while (s.charAt(i) == ',') {
                        i++;
                        ws();
                        if (s.charAt(i) == '}') {
                            break;
                        }
                        Value k = value();
                        ws();
                        i++; // ':'
                        m.put(k, value());
                        ws();
                    }
                    i++;
                    return Value.object(m);
                }
                List<Value> items = new ArrayList<>();
                items.add(first);
                while (s.charAt(i) == ',') {
                    i++;
                    ws();
                    if (s.charAt(i) == '}') {
                        break;
                    }
                    items.add(value());
                    ws();
                }
                i++;
                return Value.set(items);
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case 'u' -> {
                                sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> sb.append(e);
                        }
                    } else {
                        sb.append(ch);
                    }
                }
                i++;
                return Value.str(sb.toString());
            }
            if (c == '`') {
                int end = s.indexOf('`', i + 1);
                String raw = s.substring(i + 1, end);
                i = end + 1;
                return Value.str(raw);
            }
            if (s.startsWith("set()", i)) {
                i += 5;
                return Value.EMPTY_SET;
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Value.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Value.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return Value.NULL;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Value.num(new BigDecimal(s.substring(start, i)));
        }
    }
}
