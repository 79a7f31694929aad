package dev.hallpass.audit;

import dev.hallpass.request.AccessDuration;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.RoleName;
import dev.hallpass.request.SourceFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Every grant lease {@code [start, end)} of a history, for {@code audit who}. Derived from an {@link
 * AuditLog} and cached in {@code .git/hallpass/leases-v2.tsv} with the head it was built for: asking about
 * the same head costs a file read, and about a later head a replay of only the new commits. The cache is
 * derived data: a damaged file, a rewritten history or a head far ahead rebuilds it from a full audit, and
 * {@code audit}/{@code audit verify} never read it.
 */
public final class LeaseIndex {
    /**
     * One person's access through one request: {@code [start, end())}.
     *
     * @param revokedAt when the request file was deleted, if it was
     */
    public record Lease(
            String request,
            String person,
            String role,
            String environment,
            Instant start,
            Instant expiresAt,
            Optional<Instant> revokedAt,
            boolean emergency,
            int pullRequest,
            String approvedBy) {

        /** The earlier of expiry and deletion of the file. */
        public Instant end() {
            return revokedAt.filter(r -> r.isBefore(expiresAt)).orElse(expiresAt);
        }

        public boolean activeAt(Instant t) {
            return !t.isBefore(start) && t.isBefore(end());
        }
    }

    static final String MAGIC = "hallpass-leases v2";
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
                    r.expiresAt(),
                    r.revokedAt(),
                    r.emergency(),
                    r.pullRequest().orElse(0),
                    String.join(",", r.approvedBy().stream().map(Login::value).toList())));
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
        return repo.getDirectory().toPath().resolve("hallpass").resolve("leases-v2.tsv");
    }

    /** A loader of the full audit, used when the cache is missing or stale. */
    @FunctionalInterface
    public interface Audit {
        AuditLog read() throws IOException;
    }

    /**
     * The index for {@code head}: the cache when it was written for that head; the cache brought forward over
     * the new first-parent commits when its head is still on the branch; else a full {@code audit}.
     */
    public static LeaseIndex load(Repository repo, ObjectId head, Audit audit) throws IOException {
        Path file = cacheFile(repo);
        Optional<LeaseIndex> cached = read(file);
        if (cached.isPresent() && cached.get().head.equals(head.name())) {
            return cached.get();
        }
        Optional<LeaseIndex> forward = Optional.empty();
        if (cached.isPresent()) {
            forward = cached.get().forward(repo, head);
        }
        LeaseIndex index = forward.isPresent() ? forward.get() : of(audit.read());
        try {
            index.write(file);
        } catch (IOException e) {
            // A read-only clone still answers; it just walks the history every time.
        }
        return index;
    }

    /** Most commits worth replaying; beyond this a full audit is as cheap and simpler to trust. */
    static final int MAX_FORWARD = 20_000;

    /**
     * This index brought forward to {@code head} by replaying the request file changes of the first-parent
     * commits after {@link #head}, with the same rules as {@link AuditLog}; empty when {@link #head} is not on
     * {@code head}'s first-parent chain (history rewritten) or too far back.
     */
    Optional<LeaseIndex> forward(Repository repo, ObjectId to) throws IOException {
        ObjectId from = ObjectId.fromString(head);
        List<RevCommit> chain = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            if (!reader.has(from)) {
                return Optional.empty();
            }
            walk.setFirstParent(true);
            walk.markStart(walk.parseCommit(to));
            boolean found = false;
            for (RevCommit c; (c = walk.next()) != null; ) {
                chain.add(c);
                if (c.equals(from)) {
                    found = true;
                    break;
                }
                if (chain.size() > MAX_FORWARD) {
                    return Optional.empty();
                }
            }
            if (!found) {
                return Optional.empty();
            }
            Collections.reverse(chain);
            List<List<TreeDiffer.Change>> changes = new ArrayList<>(Collections.nCopies(chain.size(), null));
            new TreeDiffer(reader).run(chain, 1, chain.size(), changes);
            List<Lease> out = new ArrayList<>(leases);
            Map<String, Integer> live = new HashMap<>();
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).revokedAt().isEmpty()) {
                    live.put(out.get(i).request(), i);
                }
            }
            RequestParser parser = new RequestParser();
            for (int i = 1; i < chain.size(); i++) {
                replay(reader, parser, chain.get(i), changes.get(i), out, live);
            }
            return Optional.of(new LeaseIndex(to.name(), out));
        }
    }

    private static void replay(
            ObjectReader reader,
            RequestParser parser,
            RevCommit c,
            List<TreeDiffer.Change> changes,
            List<Lease> out,
            Map<String, Integer> live)
            throws IOException {
        Instant when = Instant.ofEpochSecond(c.getCommitTime());
        Trailers t = null;
        for (TreeDiffer.Change ch : changes) {
            if (!ch.path().startsWith(AuditLog.REQUESTS + "/")) {
                continue;
            }
            Optional<RequestId> id;
            try {
                id = RequestId.fromPath(ch.path());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (id.isEmpty()) {
                continue;
            }
            if (t == null) {
                t = AuditLog.contains(c.getRawBuffer(), AuditLog.MARK)
                        ? Trailers.parse(c.getFullMessage()).trailers()
                        : Trailers.NONE_AT_ALL;
            }
            String key = id.get().value();
            Integer at = live.get(key);
            if (ch.type() == 'D' || (ch.type() == 'A' && at != null)) {
                if (at != null) {
                    Lease l = out.get(at);
                    out.set(
                            at,
                            new Lease(
                                    l.request(),
                                    l.person(),
                                    l.role(),
                                    l.environment(),
                                    l.start(),
                                    l.expiresAt(),
                                    Optional.of(when),
                                    l.emergency(),
                                    l.pullRequest(),
                                    l.approvedBy()));
                    live.remove(key);
                }
                if (ch.type() == 'D') {
                    continue;
                }
            }
            Problems problems = new Problems();
            Optional<byte[]> bytes = AuditLog.blob(reader, ch.newBlob());
            Optional<RequestParser.Parsed> parsed =
                    bytes.flatMap(x -> parser.parse(new SourceFile(ch.path(), x), problems));
            if (parsed.isEmpty()) {
                continue;
            }
            RequestParser.Draft d = parsed.get().draft();
            Duration duration = d.duration().map(AccessDuration::value).orElse(Duration.ofSeconds(1));
            String approvers = t.isEmpty()
                    ? null
                    : String.join(",", t.approvedBy().stream().map(Login::value).toList());
            if (ch.type() == 'A') {
                if (d.requester().isEmpty()
                        || d.role().isEmpty()
                        || d.environment().isEmpty()) {
                    continue;
                }
                Instant start = parsed.get().request().flatMap(r -> r.start()).orElse(when);
                Instant startsAt = start.isAfter(when) ? start : when;
                int pr = !t.isEmpty() && t.pullRequest().isPresent()
                        ? t.pullRequest().getAsInt()
                        : 0;
                out.add(new Lease(
                        key,
                        d.requester().get().value(),
                        d.role().get().toString(),
                        d.environment().get().toString(),
                        startsAt,
                        startsAt.plus(duration),
                        Optional.empty(),
                        d.emergency(),
                        pr,
                        approvers == null ? "" : approvers));
                live.put(key, out.size() - 1);
            } else if (at != null) {
                Lease l = out.get(at);
                out.set(
                        at,
                        new Lease(
                                l.request(),
                                d.requester().map(Login::value).orElse(l.person()),
                                d.role().map(Object::toString).orElse(l.role()),
                                d.environment().map(Object::toString).orElse(l.environment()),
                                l.start(),
                                l.start().plus(duration),
                                Optional.empty(),
                                d.emergency(),
                                l.pullRequest(),
                                approvers == null ? l.approvedBy() : approvers));
            }
        }
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "leases", ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(MAGIC + "\t" + head + "\t" + leases.size() + "\n");
            for (Lease l : leases) {
                w.write(l.request() + "\t" + l.person() + "\t" + l.role() + "\t" + l.environment() + "\t"
                        + l.start().getEpochSecond() + "\t" + l.expiresAt().getEpochSecond() + "\t"
                        + l.revokedAt()
                                .map(r -> Long.toString(r.getEpochSecond()))
                                .orElse("-") + "\t"
                        + l.emergency() + "\t" + l.pullRequest() + "\t" + l.approvedBy() + "\n");
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The cached index if the file is whole, for whatever head it was written. */
    static Optional<LeaseIndex> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] h = r.readLine().split("\t", -1);
            if (h.length != 3 || !h[0].equals(MAGIC) || !ObjectId.isId(h[1])) {
                return Optional.empty();
            }
            String head = h[1];
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
                        f[6].equals("-") ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(f[6]))),
                        Boolean.parseBoolean(f[7]),
                        Integer.parseInt(f[8]),
                        f[9]));
            }
            return out.size() == n ? Optional.of(new LeaseIndex(head, out)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged cache is rebuilt, never trusted
        }
    }
}
