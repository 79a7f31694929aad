package dev.hallpass.request;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads one YAML document into a {@link YNode} tree, turning hostile input into problems rather than
 * exceptions: files that are too large, not UTF-8, anchors and aliases (the YAML-bomb vector), custom
 * tags, duplicate keys, deep nesting, several documents in one file and plain syntax errors.
 */
public final class YamlReader {
    /** Request files are small; anything bigger is a mistake or an attack. */
    public static final int REQUEST_MAX_BYTES = 64 * 1024;

    /** Catalogs and on-call files grow with the organisation, but not without bound. */
    public static final int CONFIG_MAX_BYTES = 1024 * 1024;

    private static final int MAX_DEPTH = 32;
    private static final int MAX_NODES = 50_000;

    private final YAMLFactory factory;

    public YamlReader() {
        LoaderOptions loader = new LoaderOptions();
        loader.setAllowDuplicateKeys(false);
        loader.setMaxAliasesForCollections(0);
        loader.setNestingDepthLimit(MAX_DEPTH + 2);
        loader.setCodePointLimit(CONFIG_MAX_BYTES);
        loader.setAllowRecursiveKeys(false);
        this.factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH + 2)
                        .maxStringLength(CONFIG_MAX_BYTES)
                        .maxNumberLength(100)
                        .build())
                .build();
    }

    /**
     * Parses {@code file}; returns the root node, or empty after recording at least one problem. An
     * empty document yields a null scalar.
     */
    public Optional<YNode> read(SourceFile file, int maxBytes, Problems problems) {
        String path = file.path();
        if (file.bytes().length > maxBytes) {
            problems.add(
                    path,
                    Pos.FILE,
                    "file.too_large",
                    "file is " + file.bytes().length + " bytes; the limit is " + maxBytes + " bytes");
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file.bytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(path, firstBadByte(file.bytes()), "file.not_utf8", "file is not valid UTF-8");
            return Optional.empty();
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int bad = firstForbiddenChar(text);
        if (bad >= 0) {
            problems.add(
                    path,
                    posOf(text, bad),
                    "file.control_character",
                    String.format("control character U+%04X is not allowed", text.codePointAt(bad)));
            return Optional.empty();
        }
        try (YAMLParser parser = (YAMLParser) factory.createParser(text)) {
            Builder b = new Builder(path, parser, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(new YNode.Scalar(new Pos(1, 1), null, ""));
            }
            YNode root = b.node(first, 0);
            if (root == null) {
                return Optional.empty();
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                problems.add(
                        path,
                        pos(parser.currentTokenLocation()),
                        "yaml.multiple_documents",
                        "a file holds exactly one YAML document");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            String msg = syntaxMessage(e);
            problems.add(
                    path,
                    pos(e.getLocation()),
                    msg.contains("Duplicate field") ? "yaml.duplicate_key" : "yaml.syntax",
                    msg);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // SnakeYAML signals its own limits with runtime exceptions; none of them may escape as a crash.
            problems.add(path, Pos.FILE, "yaml.syntax", "cannot read YAML: " + firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    private static final class Builder {
        private final String path;
        private final YAMLParser p;
        private final Problems problems;
        private int nodes;

        Builder(String path, YAMLParser p, Problems problems) {
            this.path = path;
            this.p = p;
            this.problems = problems;
        }

        /** Builds the node starting at the current token; returns null after recording a problem. */
        YNode node(JsonToken t, int depth) throws IOException {
            Pos pos = pos(p.currentTokenLocation());
            if (++nodes > MAX_NODES) {
                problems.add(path, pos, "yaml.too_many_nodes", "more than " + MAX_NODES + " YAML nodes");
                return null;
            }
            if (depth > MAX_DEPTH) {
                problems.add(path, pos, "yaml.too_deep", "nesting deeper than " + MAX_DEPTH + " levels");
                return null;
            }
            if (p.isCurrentAlias()) {
                problems.add(
                        path,
                        pos,
                        "yaml.alias",
                        "YAML aliases (*" + p.getText() + ") are not allowed in Hallpass files");
                return null;
            }
            if (p.getCurrentAnchor() != null) {
                problems.add(
                        path,
                        pos,
                        "yaml.anchor",
                        "YAML anchors (&" + p.getCurrentAnchor() + ") are not allowed in Hallpass files");
                return null;
            }
            String tag = p.getTypeId();
            if (tag != null) {
                problems.add(path, pos, "yaml.tag", "YAML tag " + tag + " is not allowed in Hallpass files");
                return null;
            }
            switch (t) {
                case START_OBJECT:
                    return mapping(pos, depth);
                case START_ARRAY:
                    return seq(pos, depth);
                case VALUE_STRING:
                    return new YNode.Scalar(pos, p.getText(), p.getText());
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    return new YNode.Scalar(pos, p.getDecimalValue(), p.getText());
                case VALUE_TRUE:
                    return new YNode.Scalar(pos, Boolean.TRUE, p.getText());
                case VALUE_FALSE:
                    return new YNode.Scalar(pos, Boolean.FALSE, p.getText());
                case VALUE_NULL:
                    return new YNode.Scalar(pos, null, p.getText());
                default:
                    problems.add(path, pos, "yaml.syntax", "unexpected YAML content " + t);
                    return null;
            }
        }

        private YNode mapping(Pos pos, int depth) throws IOException {
            Map<String, YNode> entries = new LinkedHashMap<>();
            Map<String, Pos> keys = new LinkedHashMap<>();
            boolean ok = true;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                Pos keyPos = pos(p.currentTokenLocation());
                YNode value = node(p.nextToken(), depth + 1);
                if (value == null) {
                    return null; // the first problem deeper down is the useful one
                }
                if (entries.containsKey(key)) {
                    Pos first = keys.get(key);
                    problems.add(
                            path,
                            keyPos,
                            "yaml.duplicate_key",
                            "key '" + key + "' appears twice (first on line " + first.line() + ")");
                    ok = false;
                    continue;
                }
                entries.put(key, value);
                keys.put(key, keyPos);
            }
            if (t != JsonToken.END_OBJECT) {
                problems.add(path, pos, "yaml.syntax", "unterminated mapping");
                return null;
            }
            return ok ? new YNode.Mapping(pos, entries, keys) : null;
        }

        private YNode seq(Pos pos, int depth) throws IOException {
            List<YNode> items = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    problems.add(path, pos, "yaml.syntax", "unterminated list");
                    return null;
                }
                YNode item = node(t, depth + 1);
                if (item == null) {
                    return null;
                }
                items.add(item);
            }
            return new YNode.Seq(pos, List.copyOf(items));
        }
    }

    private static Pos pos(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return Pos.FILE;
        }
        return new Pos(loc.getLineNr(), Math.max(loc.getColumnNr(), 1));
    }

    private static String syntaxMessage(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        return "invalid YAML: " + firstLine(msg == null ? e.getClass().getSimpleName() : msg);
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "unknown error";
        }
        String line = s.strip().split("\\R", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** Any C0 control other than tab, newline and carriage return, or DEL, hints at binary or smuggling. */
    private static int firstForbiddenChar(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    private static Pos posOf(String text, int index) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Pos(line, col);
    }

    /** Where the first invalid UTF-8 sequence starts, counting lines in the valid prefix. */
    private static Pos firstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        if (!result.isError()) {
            return Pos.FILE;
        }
        out.flip();
        return posOf(out.toString(), out.length());
    }
}
