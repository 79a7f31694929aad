package dev.hallpass.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers where it was written, so every problem can name its line and column.
 * Jackson's tree model forgets positions; this is the small tree we keep instead.
 */
public sealed interface YNode permits YNode.Scalar, YNode.Seq, YNode.Mapping {

    Pos pos();

    /** What a person calls this kind of node in an error message. */
    String kind();

    /**
     * A scalar. {@code value} is a String, Boolean, Long/BigInteger, BigDecimal/Double or null, as YAML's
     * core schema resolved the plain text; {@code text} is the text as written.
     */
    record Scalar(Pos pos, Object value, String text) implements YNode {
        @Override
        public String kind() {
            if (value == null) {
                return "null";
            }
            if (value instanceof String) {
                return "string";
            }
            if (value instanceof Boolean) {
                return "boolean";
            }
            return "number";
        }
    }

    record Seq(Pos pos, List<YNode> items) implements YNode {
        @Override
        public String kind() {
            return "list";
        }
    }

    /** A mapping with string keys in document order; {@code keyPos} holds where each key was written. */
    record Mapping(Pos pos, Map<String, YNode> entries, Map<String, Pos> keyPos) implements YNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyPos = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyPos));
        }

        @Override
        public String kind() {
            return "mapping";
        }
    }
}
