package dev.hallpass.policy.rego;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Rego value: null, boolean, number, string, array, object or set.
 *
 * <p>Values are immutable and totally ordered the way OPA orders terms (null &lt; boolean &lt; number
 * &lt; string &lt; array &lt; object &lt; set), so sets and object keys iterate in OPA's canonical
 * order. Numbers are arbitrary precision. Strings compare by code point, which is Go's byte-wise
 * UTF-8 order.
 */
public sealed interface Value extends Comparable<Value>
        permits Value.Null, Value.Bool, Value.Num, Value.Str, Value.Arr, Value.Obj, Value.SetV {

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);
    Arr EMPTY_ARRAY = new Arr(List.of());
    Obj EMPTY_OBJECT = new Obj(Collections.emptyNavigableMap());
    SetV EMPTY_SET = new SetV(Collections.emptyNavigableSet());

    /** OPA's sort rank of the value's type. */
    int rank();

    /** The name {@code type_name} gives this value. */
    String typeName();

    @Override
    default int compareTo(Value o) {
        int r = Integer.compare(rank(), o.rank());
        return r != 0 ? r : compareSameType(o);
    }

    /** Compares with a value of the same {@link #rank()}. */
    int compareSameType(Value o);

    static Bool bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Str str(String s) {
        return new Str(s);
    }

    static Num num(long n) {
        return new Num(BigDecimal.valueOf(n));
    }

    static Num num(BigInteger n) {
        return new Num(new BigDecimal(n));
    }

    static Num num(BigDecimal n) {
        return new Num(n);
    }

    /** Parses a JSON/Rego number literal exactly. */
    static Num num(String literal) {
        return new Num(new BigDecimal(literal));
    }

    static Arr array(Value... items) {
        return new Arr(List.of(items));
    }

    static Arr array(List<? extends Value> items) {
        return new Arr(List.copyOf(items));
    }

    static SetV set(Collection<? extends Value> items) {
        return new SetV(Collections.unmodifiableNavigableSet(new TreeSet<>(items)));
    }

    static SetV set(Value... items) {
        return set(List.of(items));
    }

    static Obj object(Map<? extends Value, ? extends Value> entries) {
        return new Obj(Collections.unmodifiableNavigableMap(new TreeMap<>(entries)));
    }

    /**
     * Converts plain Java data (as produced by a JSON or YAML parser: maps, lists, strings, numbers,
     * booleans and null) into a value. Sets become Rego sets.
     */
    static Value fromJava(Object o) {
        if (o == null) {
            return NULL;
        }
        if (o instanceof Value v) {
            return v;
        }
        if (o instanceof Boolean b) {
            return bool(b);
        }
        if (o instanceof String s) {
            return str(s);
        }
        if (o instanceof BigDecimal d) {
            return num(d);
        }
        if (o instanceof BigInteger i) {
            return num(i);
        }
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return num(((Number) o).longValue());
        }
        if (o instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a JSON number: " + d);
            }
            return num(new BigDecimal(Double.toString(d)));
        }
        if (o instanceof Map<?, ?> m) {
            TreeMap<Value, Value> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(fromJava(k), fromJava(v)));
            return new Obj(Collections.unmodifiableNavigableMap(out));
        }
        if (o instanceof java.util.Set<?> s) {
            TreeSet<Value> out = new TreeSet<>();
            s.forEach(x -> out.add(fromJava(x)));
            return new SetV(Collections.unmodifiableNavigableSet(out));
        }
        if (o instanceof Collection<?> c) {
            List<Value> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(fromJava(x)));
            return new Arr(Collections.unmodifiableList(out));
        }
        if (o.getClass().isArray() && o instanceof Object[] arr) {
            return fromJava(List.of(arr));
        }
        throw new IllegalArgumentException("cannot convert " + o.getClass().getName() + " to a Rego value");
    }

    /**
     * Converts to plain Java data for JSON output: sets become lists in canonical order, object keys
     * that are not strings become their JSON text (as OPA does), numbers become {@link BigDecimal}
     * or {@link BigInteger}.
     */
    Object toJava();

    /** Compact JSON text; object keys sorted (OPA's {@code json.marshal}). */
    default String toJson() {
        StringBuilder sb = new StringBuilder();
        Json.write(this, sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------

    record Null() implements Value {
        @Override
        public int rank() {
            return 0;
        }

        @Override
        public String typeName() {
            return "null";
        }

        @Override
        public int compareSameType(Value o) {
            return 0;
        }

        @Override
        public Object toJava() {
            return null;
        }

        @Override
        public String toString() {
            return "null";
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public int rank() {
            return 1;
        }

        @Override
        public String typeName() {
            return "boolean";
        }

        @Override
        public int compareSameType(Value o) {
            return Boolean.compare(value, ((Bool) o).value);
        }

        @Override
        public Object toJava() {
            return value;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** An arbitrary-precision number; equal numbers are equal values whatever their scale (1 == 1.0). */
    record Num(BigDecimal value) implements Value {
        public Num {
            Objects.requireNonNull(value, "value");
            value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }

        @Override
        public int rank() {
            return 2;
        }

        @Override
        public String typeName() {
            return "number";
        }

        @Override
        public int compareSameType(Value o) {
            return value.compareTo(((Num) o).value);
        }

        public boolean isInteger() {
            return value.scale() <= 0;
        }

        /** The value as a big integer; only meaningful when {@link #isInteger()}. */
        public BigInteger bigInteger() {
            return value.toBigInteger();
        }

        /** The value as an int when it is an integer that fits, otherwise null. */
        public Integer intValueExact() {
            if (!isInteger()) {
                return null;
            }
            try {
                return value.intValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }

        /** The value as a long when it is an integer that fits, otherwise null. */
        public Long longValueExact() {
            if (!isInteger()) {
                return null;
            }
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }

        @Override
        public Object toJava() {
            return isInteger() ? value.toBigInteger() : value;
        }

        @Override
        public String toString() {
            return isInteger() ? value.toBigInteger().toString() : value.toPlainString();
        }
    }

    record Str(String value) implements Value {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public int rank() {
            return 3;
        }

        @Override
        public String typeName() {
            return "string";
        }

        @Override
        public int compareSameType(Value o) {
            return compareCodePoints(value, ((Str) o).value);
        }

        /** Go compares strings byte-wise in UTF-8, which is code point order, not UTF-16 order. */
        static int compareCodePoints(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(j);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return Boolean.compare(i < a.length(), j < b.length());
        }

        @Override
        public Object toJava() {
            return value;
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    record Arr(List<Value> items) implements Value, Iterable<Value> {
        public Arr {
            Objects.requireNonNull(items, "items");
        }

        @Override
        public int rank() {
            return 6;
        }

        @Override
        public String typeName() {
            return "array";
        }

        public int size() {
            return items.size();
        }

        public Value get(int i) {
            return items.get(i);
        }

        @Override
        public Iterator<Value> iterator() {
            return items.iterator();
        }

        @Override
        public int compareSameType(Value o) {
            return compareSequences(items, ((Arr) o).items);
        }

        @Override
        public Object toJava() {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(v -> out.add(v.toJava()));
            return out;
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    record Obj(NavigableMap<Value, Value> entries) implements Value {
        public Obj {
            Objects.requireNonNull(entries, "entries");
        }

        @Override
        public int rank() {
            return 7;
        }

        @Override
        public String typeName() {
            return "object";
        }

        public int size() {
            return entries.size();
        }

        public Value get(Value key) {
            return entries.get(key);
        }

        public Value get(String key) {
            return entries.get(new Str(key));
        }

        @Override
        public int compareSameType(Value o) {
            Obj other = (Obj) o;
            Iterator<Map.Entry<Value, Value>> a = entries.entrySet().iterator();
            Iterator<Map.Entry<Value, Value>> b = other.entries.entrySet().iterator();
            while (a.hasNext() && b.hasNext()) {
                Map.Entry<Value, Value> ea = a.next();
                Map.Entry<Value, Value> eb = b.next();
                int c = ea.getKey().compareTo(eb.getKey());
                if (c != 0) {
                    return c;
                }
                c = ea.getValue().compareTo(eb.getValue());
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(entries.size(), other.entries.size());
        }

        @Override
        public Object toJava() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k instanceof Str s ? s.value() : k.toJson(), v.toJava()));
            return out;
        }

        @Override
        public String toString() {
            return toJson();
        }
    }

    record SetV(NavigableSet<Value> items) implements Value, Iterable<Value> {
        public SetV {
            Objects.requireNonNull(items, "items");
        }

        @Override
        public int rank() {
            return 8;
        }

        @Override
        public String typeName() {
            return "set";
        }

        public int size() {
            return items.size();
        }

        public boolean contains(Value v) {
            return items.contains(v);
        }

        @Override
        public Iterator<Value> iterator() {
            return items.iterator();
        }

        @Override
        public int compareSameType(Value o) {
            return compareSequences(items, ((SetV) o).items);
        }

        @Override
        public Object toJava() {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(v -> out.add(v.toJava()));
            return out;
        }

        @Override
        public String toString() {
            if (items.isEmpty()) {
                return "set()";
            }
            StringBuilder sb = new StringBuilder("{");
            for (Value v : items) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(v);
            }
            return sb.append('}').toString();
        }
    }

    private static int compareSequences(Collection<Value> a, Collection<Value> b) {
        Iterator<Value> ia = a.iterator();
        Iterator<Value> ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = ia.next().compareTo(ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
