package dev.hallpass.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applied state in a JSON file, rewritten whole and atomically (write, fsync, rename) on every change, so
 * a crash leaves either the old or the new state, never half of one. Fine for thousands of entries
 * changing a few at a time; a busier installation wants a database.
 */
public final class FileAppliedGrants implements AppliedGrants {
    private static final int VERSION = 1;

    private final Path file;
    private final Map<LeaseKey, AppliedGrant> entries = new TreeMap<>();

    /**
     * Opens the state in {@code file}, which need not exist yet.
     *
     * @throws IllegalStateException when the file exists but cannot be read: starting empty instead would
     *     forget grants that must still be revoked
     */
    public FileAppliedGrants(Path file) {
        this.file = file.toAbsolutePath();
        if (Files.exists(this.file)) {
            load();
        }
    }

    private void load() {
        try {
            JsonNode root = GrantJson.MAPPER.readTree(file.toFile());
            if (root == null
                    || root.path("version").asInt() != VERSION
                    || !root.path("entries").isArray()) {
                throw new IllegalStateException(file + " is not Hallpass applied state (version " + VERSION + ")");
            }
            for (JsonNode e : root.get("entries")) {
                AppliedGrant a = new AppliedGrant(
                        GrantJson.fromJson(e.path("grant")),
                        e.path("confirmed").asBoolean(false),
                        e.path("pre_existing").asBoolean(false));
                entries.put(a.key(), a);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read applied state " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Map<LeaseKey, AppliedGrant> snapshot() {
        return Map.copyOf(entries);
    }

    @Override
    public synchronized Optional<AppliedGrant> get(LeaseKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public synchronized void put(AppliedGrant entry) {
        Map<LeaseKey, AppliedGrant> before = new LinkedHashMap<>(entries);
        entries.put(entry.key(), entry);
        saveOrRestore(before);
    }

    @Override
    public synchronized void remove(LeaseKey key) {
        if (!entries.containsKey(key)) {
            return;
        }
        Map<LeaseKey, AppliedGrant> before = new LinkedHashMap<>(entries);
        entries.remove(key);
        saveOrRestore(before);
    }

    /** Memory must not claim what the disk does not hold, or a restart would act on other facts. */
    private void saveOrRestore(Map<LeaseKey, AppliedGrant> before) {
        try {
            save();
        } catch (IOException e) {
            entries.clear();
            entries.putAll(before);
            throw new UncheckedIOException("cannot write applied state " + file, e);
        }
    }

    private void save() throws IOException {
        ObjectNode root = GrantJson.MAPPER.createObjectNode();
        root.put("version", VERSION);
        ArrayNode list = root.putArray("entries");
        for (AppliedGrant a : entries.values()) {
            ObjectNode e = list.addObject();
            e.put("confirmed", a.confirmed());
            e.put("pre_existing", a.preExisting());
            e.set("grant", GrantJson.toJson(a.grant()));
        }
        byte[] bytes = GrantJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
