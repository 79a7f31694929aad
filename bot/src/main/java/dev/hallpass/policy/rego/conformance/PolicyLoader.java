package dev.hallpass.policy.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hallpass.policy.rego.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads policy files like {@code opa eval -d} / {@code opa test}: {@code *.rego} files become modules,
 * {@code *.json} / {@code *.yaml} files become data placed at their directory's path.
 */
public final class PolicyLoader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    /** Module sources by file name, in load order. */
    public final Map<String, String> modules = new LinkedHashMap<>();

    private Value data = Value.EMPTY_OBJECT;

    public Value data() {
        return data;
    }

    /** Loads a file or, recursively, a directory. */
    public PolicyLoader load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                loadFile(f, path);
            }
        } else {
            loadFile(path, path.getParent() == null ? Path.of(".") : path.getParent());
        }
        return this;
    }

    private void loadFile(Path f, Path root) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(".rego")) {
            modules.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
        } else if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
            Value v = readValue(f);
            Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
            List<String> prefix = new ArrayList<>();
            for (Path p : rel) {
                if (!p.toString().isEmpty()) {
                    prefix.add(p.toString());
                }
            }
            for (int i = prefix.size() - 1; i >= 0; i--) {
                v = Value.object(Map.of(Value.str(prefix.get(i)), v));
            }
            data = merge(data, v);
        }
    }

    /** Reads a JSON or YAML file into a value. */
    public static Value readValue(Path f) throws IOException {
        String name = f.getFileName().toString();
        JsonNode n = (name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON).readTree(f.toFile());
        return ConformanceRunner.toValue(n);
    }

    static Value merge(Value a, Value b) {
        if (a instanceof Value.Obj x && b instanceof Value.Obj y) {
            Map<Value, Value> m = new TreeMap<>(x.entries());
            y.entries().forEach((k, v) -> m.merge(k, v, PolicyLoader::merge));
            return Value.object(m);
        }
        return b;
    }
}
