package dev.hallpass.audit;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RoleName;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Every grant lease {@code [start, end)} of a history, for {@code audit who}. Derived from an {@link
 * AuditLog} and cached in {@code .git/hallpass/leases-v1.tsv} keyed by the head commit, so asking again about
 * the same head costs a file read instead of a history walk. The cache is derived data: it is rebuilt when
 * the head moves, and {@code audit}/{@code audit verify} never read it.
 */
public final class LeaseIndex {
    /** One person's access through one request. */
    public record Lease(
            String request,
            String person,
            String role,
            String environment,
            Instant start,
            Instant end,
            boolean emergency,
            int pullRequest,
            String approvedBy,
            int findings) {

        public boolean activeAt(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    static final String MAGIC = "hallpass-leases v1";
    private final String head;
    private final List<Lease> leases;

    private LeaseIndex(String head, List<Lease> leases) {
        this.head = head;
        this.leases = List.copyOf(leases);
    }

    public static LeaseIndex of(AuditLog log) {
        List<Lease> out = new ArrayList<>(log.rows().size());
        for (AuditRow r : log.rows()) {
            if (r.requester().isEmpty() || r.role().isEmpty() || r.environment().isEmpty()) {
                continue; // an unreadable file grants nobody anything we can name
            }
            out.add(new Lease(
                    r.request().value(),
                    r.requester().get().value(),
                    r.role().get().toString(),
                    r.environment().get().toString(),
                    r.startsAt(),
                    r.end(),
                    r.emergency(),
                    r.pullRequest().orElse(0),
                    String.join(",", r.approvedBy().stream().map(Login::value).toList()),
                    r.findings().size()));
        }
        return new LeaseIndex(log.head(), out);
    }

    public String head() {
        return head;
    }

    public List<Lease> leases() {
        return leases;
    }

    /** The leases of this role in this environment in force at {@code t}. */
    public List<Lease> who(RoleName role, EnvironmentName environment, Instant t) {
        String r = role.toString();
        String e = environment.toString();
        List<Lease> out = new ArrayList<>();
        for (Lease l : leases) {
            if (l.role().equals(r) && l.environment().equals(e) && l.activeAt(t)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Where the cache of {@code repo} lives. */
    public static Path cacheFile(Repository repo) {
        return repo.getDirectory().toPath().resolve("hallpass").resolve("leases-v1.tsv");
    }

    /** A loader of the full audit, used when the cache is missing or stale. */
    @FunctionalInterface
    public interface Audit {
        AuditLog read() throws IOException;
    }

    /** The index for {@code head}: from the cache when it was written for that head, else from {@code audit}. */
    public static LeaseIndex load(Repository repo, ObjectId head, Audit audit) throws IOException {
        Path file = cacheFile(repo);
        Optional<LeaseIndex> cached = read(file, head.name());
        if (cached.isPresent()) {
            return cached.get();
        }
        LeaseIndex index = of(audit.read());
        try {
            index.write(file);
        } catch (IOException e) {
            // A read-only clone still answers; it just walks the history every time.
        }
        return index;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "leases", ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(MAGIC + "\t" + head + "\t" + leases.size() + "\n");
            for (Lease l : leases) {
                w.write(l.request() + "\t" + l.person() + "\t" + l.role() + "\t" + l.environment() + "\t"
                        + l.start().getEpochSecond() + "\t" + l.end().getEpochSecond() + "\t" + l.emergency() + "\t"
                        + l.pullRequest() + "\t" + l.approvedBy() + "\t" + l.findings() + "\n");
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The cached index if the file is whole and was written for {@code head}. */
    static Optional<LeaseIndex> read(Path file, String head) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] h = r.readLine().split("\t", -1);
            if (h.length != 3 || !h[0].equals(MAGIC) || !h[1].equals(head)) {
                return Optional.empty();
            }
            int n = Integer.parseInt(h[2]);
            List<Lease> out = new ArrayList<>(n);
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t", -1);
                out.add(new Lease(
                        f[0],
                        f[1],
                        f[2],
                        f[3],
                        Instant.ofEpochSecond(Long.parseLong(f[4])),
                        Instant.ofEpochSecond(Long.parseLong(f[5])),
                        Boolean.parseBoolean(f[6]),
                        Integer.parseInt(f[7]),
                        f[8],
                        Integer.parseInt(f[9])));
            }
            return out.size() == n ? Optional.of(new LeaseIndex(head, out)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged cache is rebuilt, never trusted
        }
    }
}
