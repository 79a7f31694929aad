package dev.hallpass.audit;

import dev.hallpass.git.GitCommitTree;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.InvalidValueException;
import dev.hallpass.request.Login;
import dev.hallpass.request.Pos;
import dev.hallpass.request.Problems;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RequestParser;
import dev.hallpass.request.RoleName;
import dev.hallpass.request.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdOwnerMap;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Reconstructs the audit trail from the default branch alone: one {@link AuditRow} per request.
 *
 * <p>One first-parent walk of the branch (what was merged, in order), and for each commit one tree diff
 * against its first parent restricted to {@code requests/} and {@code audit/reviews/}, so commits that touch
 * neither cost two tree reads. A file added is a grant, modified an extension, deleted the end of access; a
 * review file added is a retroactive review. Trailers are parsed only from messages that contain {@code
 * Hallpass-} and are checked against what the commit changed.
 */
public final class AuditLog {
    /**
     * @param reviewDeadline how long after an emergency merge its retroactive review is due; null: never overdue
     * @param now the time against which overdue reviews are judged
     * @param verifier checks signatures, or null when signing is off
     */
    public record Options(Duration reviewDeadline, Instant now, CommitVerifier verifier) {
        public Options {
            Objects.requireNonNull(now, "now");
        }

        public static Options at(Instant now) {
            return new Options(null, now, null);
        }

        /** Overdue reviews judged at {@code clock}'s now, with this deadline (null: never overdue). */
        public static Options of(java.time.Clock clock, Duration reviewDeadline) {
            return new Options(reviewDeadline, clock.instant(), null);
        }

        /** The same options with signatures checked by {@code verifier}. */
        public Options withVerifier(CommitVerifier verifier) {
            return new Options(reviewDeadline, now, verifier);
        }
    }

    static final String REQUESTS = "requests";
    static final String REVIEWS = "audit/reviews";
    static final byte[] MARK = Trailers.PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final String head;
    private final List<AuditRow> rows;
    private final List<Finding> findings;
    private final int commits;

    private AuditLog(String head, List<AuditRow> rows, List<Finding> findings, int commits) {
        this.head = head;
        this.rows = List.copyOf(rows);
        this.findings = List.copyOf(findings);
        this.commits = commits;
    }

    /** The audit of the history ending at {@code ref} (a branch, tag or sha). */
    public static AuditLog read(Repository repo, String ref, Options options) throws IOException {
        ObjectId id = repo.resolve(ref + "^{commit}");
        if (id == null) {
            throw new IOException("no commit '" + ref + "' in " + repo.getDirectory());
        }
        return read(repo, id, options);
    }

    public static AuditLog read(Repository repo, ObjectId head, Options options) throws IOException {
        enlargeCache();
        try (ObjectReader reader = repo.newObjectReader()) {
            return new Reader(repo, reader, options).run(head);
        }
    }

    /** The head commit audited. */
    public String head() {
        return head;
    }

    /** One row per request (a reused id makes a second row), in merge order. */
    public List<AuditRow> rows() {
        return rows;
    }

    /** Every finding: those of the rows and those about commits that belong to no request. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        rows.forEach(r -> all.addAll(r.findings()));
        return all;
    }

    /** Findings about commits that belong to no request. */
    public List<Finding> unattachedFindings() {
        return findings;
    }

    /** Commits on the first-parent chain that were walked. */
    public int commits() {
        return commits;
    }

    /** The rows in force at {@code t} for this role in this environment (start inclusive, end exclusive). */
    public List<AuditRow> who(RoleName role, EnvironmentName environment, Instant t) {
        List<AuditRow> out = new ArrayList<>();
        for (AuditRow r : rows) {
            if (r.role().filter(role::equals).isPresent()
                    && r.environment().filter(environment::equals).isPresent()
                    && r.activeAt(t)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rows that overlap {@code [since, until)}; either bound may be null. */
    public List<AuditRow> rows(Instant since, Instant until) {
        return rows.stream().filter(r -> r.overlaps(since, until)).toList();
    }

    private record Step(RevCommit commit, List<TreeDiffer.Change> changes, int index) {}

    /** A request as the walk builds it; becomes an {@link AuditRow} at the end. */
    private static final class Building {
        RequestId id;
        Optional<AccessRequest> request = Optional.empty();
        RequestParser.Draft draft;
        String reason = "";
        OptionalInt pullRequest = OptionalInt.empty();
        List<String> codes = List.of();
        List<Login> approvedBy = List.of();
        String mergeCommit;
        Instant mergedAt;
        Instant startsAt;
        Instant expiresAt;
        int extensions;
        Instant revokedAt;
        String revokedHow;
        OptionalInt revertPullRequest = OptionalInt.empty();
        String revertCommit;
        AuditRow.Review review;
        ObjectId policyCommit;
        final List<Finding> findings = new ArrayList<>();

        boolean ended() {
            return revokedAt != null;
        }

        Optional<Login> requester() {
            return draft == null ? Optional.empty() : draft.requester();
        }
    }

    private static final class Reader {
        private final ObjectReader reader;
        private final Options options;
        private final AttestationYaml reviews = new AttestationYaml();
        private final List<Building> all = new ArrayList<>();
        private final Map<RequestId, Building> current = new HashMap<>();
        private final List<Finding> loose = new ArrayList<>();
        private final ObjectIdOwnerMap<Seen> seen = new ObjectIdOwnerMap<>();

        private final Repository repo;
        private final Map<ObjectId, Optional<Catalog>> catalogs = new HashMap<>();

        Reader(Repository repo, ObjectReader reader, Options options) {
            this.repo = repo;
            this.reader = reader;
            this.options = options;
        }

        /**
         * The catalog as it was at {@code commit}, cached by the id of its {@code catalog/} tree (it changes
         * rarely, while nearly every pull request has its own base); empty when there is none or it is broken.
         */
        private final Map<ObjectId, Optional<Catalog>> catalogByCommit = new HashMap<>();

        private Optional<Catalog> catalogAt(ObjectId commit) {
            return catalogByCommit.computeIfAbsent(commit, this::readCatalogAt);
        }

        private Optional<Catalog> readCatalogAt(ObjectId commit) {
            try (RevWalk w = new RevWalk(reader)) {
                RevCommit c = w.parseCommit(commit);
                CanonicalTreeParser p = new CanonicalTreeParser();
                p.reset(reader, c.getTree());
                ObjectId catalogTree = null;
                for (; !p.eof(); p.next()) {
                    if (FileMode.TREE.equals(p.getEntryRawMode())
                            && p.getEntryPathString().equals("catalog")) {
                        catalogTree = p.getEntryObjectId();
                    }
                }
                if (catalogTree == null) {
                    return Optional.empty();
                }
                Optional<Catalog> cached = catalogs.get(catalogTree);
                if (cached == null) {
                    cached = new AccessRepoLoader()
                            .loadConfig(GitCommitTree.at(repo, commit.name()))
                            .catalog();
                    catalogs.put(catalogTree, cached);
                }
                return cached;
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // cannot judge approvers without a readable catalog
            }
        }

        /** Whether the catalog at the grant's policy commit lets {@code reviewer} approve; true if unknown. */
        private boolean reviewerEligible(Building b, Login reviewer) {
            if (b.policyCommit == null
                    || b.draft == null
                    || b.draft.role().isEmpty()
                    || b.draft.environment().isEmpty()) {
                return true;
            }
            Optional<Catalog> catalog = catalogAt(b.policyCommit);
            Optional<Catalog.RoleEnvironment> re =
                    catalog.flatMap(c -> c.role(b.draft.role().get())
                            .map(r -> r.environments().get(b.draft.environment().get())));
            return re.isEmpty() || catalog.get().expand(re.get().approvers()).contains(reviewer);
        }

        /** The claimed approvers against the catalog at the policy commit: who may approve, and how many must. */
        private void checkApprovers(Building b, Trailers t, String sha, ObjectId policyCommit) {
            if (b.draft == null
                    || b.draft.role().isEmpty()
                    || b.draft.environment().isEmpty()) {
                return;
            }
            Optional<Catalog> catalog = catalogAt(policyCommit);
            if (catalog.isEmpty()) {
                return;
            }
            RoleName role = b.draft.role().get();
            EnvironmentName env = b.draft.environment().get();
            Optional<Catalog.RoleEnvironment> re =
                    catalog.get().role(role).map(r -> r.environments().get(env));
            String at = " at policy commit " + policyCommit.abbreviate(12).name();
            if (re.isEmpty()) {
                b.findings.add(Finding.compliance(
                        Finding.NOT_IN_CATALOG, sha, "role " + role + " does not exist in " + env + at));
                return;
            }
            Set<Login> allowed = catalog.get().expand(re.get().approvers());
            int counted = 0;
            for (Login a : t.approvedBy()) {
                if (!allowed.contains(a)) {
                    b.findings.add(Finding.compliance(
                            Finding.APPROVER_NOT_ELIGIBLE,
                            sha,
                            a + " is listed as an approver but may not approve " + role + " in " + env + at));
                } else if (!b.requester().equals(Optional.of(a))) {
                    counted++;
                }
            }
            if (!b.draft.emergency() && counted < re.get().approvals()) {
                b.findings.add(Finding.compliance(
                        Finding.TOO_FEW_APPROVALS,
                        sha,
                        role + " in " + env + " needs " + re.get().approvals() + " approval(s) from eligible approvers"
                                + at + ", the merge lists " + counted));
            }
        }

        /** A commit already on the first-parent chain, so a policy commit can be checked in O(1). */
        private static final class Seen extends ObjectIdOwnerMap.Entry {
            Seen(AnyObjectId id) {
                super(id);
            }
        }

        AuditLog run(ObjectId head) throws IOException {
            List<RevCommit> chain = new ArrayList<>();
            try (RevWalk walk = new RevWalk(reader)) {
                walk.setFirstParent(true);
                walk.markStart(walk.parseCommit(head));
                for (RevCommit c; (c = walk.next()) != null; ) {
                    chain.add(c);
                }
            }
            Collections.reverse(chain);
            // Tree reads dominate; the chain is cut in slices diffed in parallel, each with its own reader.
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), chain.size() / 5000));
            List<List<TreeDiffer.Change>> changes = new ArrayList<>(Collections.nCopies(chain.size(), null));
            parallel(threads, k -> {
                int lo = (int) ((long) chain.size() * k / threads);
                int hi = (int) ((long) chain.size() * (k + 1) / threads);
                try (ObjectReader r = reader.newReader()) {
                    new TreeDiffer(r).run(chain, lo, hi, changes);
                }
            });
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < chain.size(); i++) {
                RevCommit c = chain.get(i);
                // Keep only commits that matter: a change to our paths or a Hallpass claim to check.
                if (!changes.get(i).isEmpty() || contains(c.getRawBuffer(), MARK) || options.verifier() != null) {
                    steps.add(new Step(c, changes.get(i), i));
                }
            }
            preparse(steps);
            // Every first-parent commit before a step is "seen", so a policy commit must be an earlier one.
            int i = 0;
            for (Step s : steps) {
                while (i < s.index()) {
                    seen.addIfAbsent(new Seen(chain.get(i)));
                    i++;
                }
                step(s);
            }
            List<AuditRow> rows = new ArrayList<>(all.size());
            for (Building b : all) {
                rows.add(finish(b));
            }
            return new AuditLog(head.name(), rows, loose, chain.size());
        }

        private interface Task {
            void run(int k) throws IOException;
        }

        /** Runs {@code task(0..n-1)}, on a pool when n > 1, rethrowing the first failure. */
        private static void parallel(int n, Task task) throws IOException {
            if (n == 1) {
                task.run(0);
                return;
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    int slice = k;
                    futures.add(pool.submit(() -> {
                        task.run(slice);
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the history", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }

        /** A request file's parse, done before the sequential pass so it can use every core. */
        private record Parse(Optional<RequestParser.Parsed> parsed, Problems problems) {}

        private final Map<ObjectId, Parse> parses = new HashMap<>();

        private void preparse(List<Step> steps) throws IOException {
            List<TreeDiffer.Change> todo = new ArrayList<>();
            Set<ObjectId> queued = new HashSet<>();
            for (Step s : steps) {
                for (TreeDiffer.Change ch : s.changes()) {
                    if (ch.type() != 'D' && ch.path().startsWith(REQUESTS + "/") && queued.add(ch.newBlob())) {
                        todo.add(ch);
                    }
                }
            }
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), todo.size() / 256));
            Parse[] results = new Parse[todo.size()];
            parallel(threads, k -> {
                try (ObjectReader r = reader.newReader()) {
                    parseRange(r, todo, results, k, threads);
                }
            });
            for (int k = 0; k < results.length; k++) {
                parses.put(todo.get(k).newBlob(), results[k]);
            }
        }

        private static void parseRange(
                ObjectReader r, List<TreeDiffer.Change> todo, Parse[] results, int offset, int stride)
                throws IOException {
            RequestParser parser = new RequestParser();
            for (int k = offset; k < todo.size(); k += stride) {
                TreeDiffer.Change ch = todo.get(k);
                Problems problems = new Problems();
                Optional<byte[]> bytes = blob(r, ch.newBlob());
                if (bytes.isEmpty()) {
                    problems.add(
                            ch.path(), Pos.FILE, "file.too_large", "the file is larger than " + MAX_BLOB + " bytes");
                    results[k] = new Parse(Optional.empty(), problems);
                    continue;
                }
                results[k] = new Parse(parser.parse(new SourceFile(ch.path(), bytes.get()), problems), problems);
            }
        }

        private void step(Step s) throws IOException {
            RevCommit c = s.commit();
            String sha = c.name();
            Trailers.Parsed parsed = contains(c.getRawBuffer(), MARK)
                    ? Trailers.parse(c.getFullMessage())
                    : new Trailers.Parsed(Trailers.NONE_AT_ALL, List.of());
            Trailers t = parsed.trailers();
            Instant when = Instant.ofEpochSecond(c.getCommitTime());
            Set<RequestId> touched = new HashSet<>();
            List<Building> affected = new ArrayList<>();
            int requestFiles = 0;
            for (TreeDiffer.Change ch : s.changes()) {
                if (ch.path().startsWith(REQUESTS + "/")) {
                    Optional<RequestId> id;
                    try {
                        id = RequestId.fromPath(ch.path());
                    } catch (InvalidValueException e) {
                        loose.add(Finding.compliance(
                                Finding.UNREADABLE_FILE,
                                sha,
                                ch.path() + ": not a valid request id: " + e.getMessage()));
                        continue;
                    }
                    if (id.isEmpty()) {
                        continue; // README, examples, .gitkeep
                    }
                    requestFiles++;
                    touched.add(id.get());
                    Building b = request(ch, id.get(), c, when, t);
                    if (b != null) {
                        affected.add(b);
                    }
                } else if (ch.path().startsWith(REVIEWS + "/")) {
                    Building b = review(ch, c, when, t, touched);
                    if (b != null) {
                        affected.add(b);
                    }
                }
            }
            if (requestFiles > 1 && !t.isEmpty()) {
                loose.add(Finding.integrity(
                        Finding.INCONSISTENT_TRAILER,
                        sha,
                        "one Hallpass commit changes " + requestFiles + " request files; it may change only one"));
            }
            // A claim about a request this commit does not touch: forged, or pasted from another commit.
            t.request().ifPresent(claimed -> {
                if (!touched.contains(claimed)) {
                    Finding f = Finding.integrity(
                            Finding.INCONSISTENT_TRAILER,
                            sha,
                            "forged or inconsistent trailer: claims "
                                    + t.action().map(Object::toString).orElse("an action") + " on request " + claimed
                                    + " but the commit does not change its file");
                    Building b = current.get(claimed);
                    if (b != null) {
                        b.findings.add(f);
                    } else {
                        loose.add(f);
                    }
                }
            });
            if (!parsed.problems().isEmpty()) {
                for (String p : parsed.problems()) {
                    Finding f = Finding.integrity(Finding.MALFORMED_TRAILER, sha, p);
                    if (affected.isEmpty()) {
                        loose.add(f);
                    } else {
                        affected.forEach(b -> b.findings.add(f));
                    }
                }
            }
            if (options.verifier() != null) {
                options.verifier().verify(c, t).ifPresent(f -> {
                    if (affected.isEmpty()) {
                        loose.add(f);
                    } else {
                        affected.forEach(b -> b.findings.add(f));
                    }
                });
            }
        }

        private Building request(TreeDiffer.Change ch, RequestId id, RevCommit c, Instant when, Trailers t)
                throws IOException {
            String sha = c.name();
            Building b = current.get(id);
            switch (ch.type()) {
                case 'A' -> {
                    Building nb = new Building();
                    nb.id = id;
                    if (b != null) {
                        nb.findings.add(Finding.compliance(
                                Finding.REQUEST_ID_REUSED,
                                sha,
                                "request id " + id + " was used before (merged in " + b.mergeCommit.substring(0, 12)
                                        + "); ids must be new"));
                        if (!b.ended()) {
                            end(b, c, when, AuditRow.HOW_DELETED);
                        }
                    }
                    current.put(id, nb);
                    all.add(nb);
                    nb.mergeCommit = sha;
                    nb.mergedAt = when;
                    parse(nb, ch, sha);
                    Instant start = nb.request.flatMap(AccessRequest::start).orElse(when);
                    nb.startsAt = start.isAfter(when) ? start : when;
                    nb.expiresAt = nb.startsAt.plus(duration(nb));
                    granted(nb, t, sha, AuditAction.GRANT);
                    beyondRequest(nb, c);
                    return nb;
                }
                case 'M' -> {
                    if (b == null || b.ended()) {
                        loose.add(Finding.integrity(
                                Finding.INCONSISTENT_TRAILER,
                                sha,
                                ch.path() + " changed while no such request was active"));
                        return null;
                    }
                    Optional<RoleName> role = b.draft == null ? Optional.empty() : b.draft.role();
                    Optional<EnvironmentName> env = b.draft == null ? Optional.empty() : b.draft.environment();
                    Optional<Login> who = b.requester();
                    parse(b, ch, sha);
                    if (!role.equals(b.draft.role())
                            || !env.equals(b.draft.environment())
                            || !who.equals(b.requester())) {
                        b.findings.add(Finding.integrity(
                                Finding.REQUEST_REWRITTEN,
                                sha,
                                "an extension changed the requester, role or environment of " + id
                                        + "; only the duration may change"));
                    }
                    b.extensions++;
                    b.expiresAt = b.startsAt.plus(duration(b));
                    granted(b, t, sha, AuditAction.EXTEND);
                    beyondRequest(b, c);
                    return b;
                }
                default -> {
                    if (b == null || b.ended()) {
                        loose.add(Finding.integrity(
                                Finding.INCONSISTENT_TRAILER,
                                sha,
                                ch.path() + " deleted while no such request was active"));
                        return null;
                    }
                    String how = AuditRow.HOW_DELETED;
                    if (t.isEmpty()) {
                        b.findings.add(
                                Finding.integrity(
                                        Finding.CHANGED_OUTSIDE_HALLPASS,
                                        sha,
                                        "request file deleted without Hallpass trailers (not an expiry or revocation by Hallpass)"));
                    } else {
                        Optional<AuditAction> a = t.action();
                        if (a.isPresent() && (a.get() == AuditAction.EXPIRE || a.get() == AuditAction.REVOKE)) {
                            how = a.get() == AuditAction.EXPIRE ? AuditRow.HOW_EXPIRE : AuditRow.HOW_REVOKE;
                        } else {
                            inconsistent(
                                    b,
                                    sha,
                                    "Hallpass-Action is "
                                            + a.map(Object::toString).orElse("missing")
                                            + " on a commit that deletes the request file (expected expire or revoke)");
                        }
                        checkClaims(b, t, sha);
                        if (a.isPresent() && a.get() == AuditAction.EXPIRE && when.isBefore(b.expiresAt)) {
                            inconsistent(
                                    b,
                                    sha,
                                    "claims expiry at " + Trailers.rfc3339(when) + ", before the request expires at "
                                            + Trailers.rfc3339(b.expiresAt));
                        }
                        t.expiresAt().ifPresent(e -> {
                            if (!closeEnough(e, b.expiresAt)) {
                                inconsistent(
                                        b,
                                        sha,
                                        "Hallpass-Expires-At " + Trailers.rfc3339(e) + " but the file says "
                                                + Trailers.rfc3339(b.expiresAt));
                            }
                        });
                        if (t.pullRequest().isPresent()) {
                            b.revertPullRequest = t.pullRequest();
                        }
                    }
                    end(b, c, when, how);
                    return b;
                }
            }
        }

        private static void end(Building b, RevCommit c, Instant when, String how) {
            b.revokedAt = when;
            b.revokedHow = how;
            b.revertCommit = c.name();
        }

        private static Duration duration(Building b) {
            // An unreadable file still granted something; count its length as unknown (zero-length lease).
            return b.draft == null
                    ? Duration.ofSeconds(1)
                    : b.draft.duration().map(d -> d.value()).orElse(Duration.ofSeconds(1));
        }

        private void parse(Building b, TreeDiffer.Change ch, String sha) {
            Parse parse = parses.get(ch.newBlob());
            Optional<RequestParser.Parsed> p = parse.parsed();
            Problems problems = parse.problems();
            if (p.isPresent()) {
                b.draft = p.get().draft();
                b.request = p.get().request();
                b.request.ifPresent(r -> b.reason = r.reason());
            }
            if (!problems.isEmpty()) {
                b.findings.add(Finding.compliance(
                        Finding.UNREADABLE_FILE,
                        sha,
                        ch.path() + " does not parse: "
                                + problems.sorted().get(0).format()));
            }
        }

        /** Cross-checks a grant or extension commit's trailers against the file. */
        /**
         * An access pull request may change its request file and nothing else; a grant that also changed, say,
         * the catalog slipped a configuration change past the platform team. Compares the root trees only, so
         * it costs two tree reads per grant.
         */
        private void beyondRequest(Building b, RevCommit c) throws IOException {
            if (c.getParentCount() == 0) {
                return;
            }
            Map<String, ObjectId> before = rootEntries(
                    c.getParent(0).getTree() != null ? c.getParent(0).getTree() : parseTree(c.getParent(0)));
            Map<String, ObjectId> after = rootEntries(c.getTree());
            Set<String> names = new java.util.TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            List<String> changed = new ArrayList<>();
            for (String n : names) {
                if (!n.equals(REQUESTS) && !java.util.Objects.equals(before.get(n), after.get(n))) {
                    changed.add(n);
                }
            }
            if (!changed.isEmpty()) {
                b.findings.add(Finding.compliance(
                        Finding.CHANGES_BEYOND_REQUEST,
                        c.name(),
                        "the commit that merged " + b.id + " also changes " + String.join(", ", changed)
                                + "; an access pull request may change only its request file"));
            }
        }

        private ObjectId parseTree(RevCommit commit) throws IOException {
            try (RevWalk w = new RevWalk(reader)) {
                return w.parseCommit(commit).getTree();
            }
        }

        private Map<String, ObjectId> rootEntries(ObjectId tree) throws IOException {
            Map<String, ObjectId> m = new HashMap<>();
            CanonicalTreeParser p = new CanonicalTreeParser();
            p.reset(reader, tree);
            for (; !p.eof(); p.next()) {
                m.put(p.getEntryPathString(), p.getEntryObjectId());
            }
            return m;
        }

        private void granted(Building b, Trailers t, String sha, AuditAction expected) {
            if (t.isEmpty()) {
                b.findings.add(Finding.integrity(
                        expected == AuditAction.GRANT
                                ? Finding.MERGED_OUTSIDE_HALLPASS
                                : Finding.CHANGED_OUTSIDE_HALLPASS,
                        sha,
                        (expected == AuditAction.GRANT ? "merged" : "extended")
                                + " outside Hallpass: the commit has no Hallpass trailers"));
                return;
            }
            if (!t.action().equals(Optional.of(expected))) {
                inconsistent(
                        b,
                        sha,
                        "Hallpass-Action is " + t.action().map(Object::toString).orElse("missing") + " but the commit "
                                + (expected == AuditAction.GRANT ? "adds" : "modifies") + " the request file");
            }
            checkClaims(b, t, sha);
            if (t.requester().isEmpty()) {
                inconsistent(b, sha, "missing Hallpass-Requester");
            }
            t.emergency()
                    .ifPresentOrElse(
                            e -> {
                                if (b.draft != null && e != b.draft.emergency()) {
                                    inconsistent(
                                            b,
                                            sha,
                                            "Hallpass-Emergency: " + e + " but the file says emergency: "
                                                    + b.draft.emergency());
                                }
                            },
                            () -> inconsistent(b, sha, "missing Hallpass-Emergency"));
            t.expiresAt()
                    .ifPresentOrElse(
                            e -> {
                                if (!closeEnough(e, b.expiresAt)) {
                                    inconsistent(
                                            b,
                                            sha,
                                            "Hallpass-Expires-At " + Trailers.rfc3339(e) + " but the file gives "
                                                    + Trailers.rfc3339(b.expiresAt));
                                }
                            },
                            () -> inconsistent(b, sha, "missing Hallpass-Expires-At"));
            if (t.decision().isEmpty()) {
                inconsistent(b, sha, "missing Hallpass-Decision");
            }
            t.policyCommit()
                    .ifPresentOrElse(
                            p -> {
                                ObjectId id = ObjectId.fromString(p);
                                if (seen.get(id) == null) {
                                    b.findings.add(Finding.integrity(
                                            Finding.POLICY_COMMIT_UNKNOWN,
                                            sha,
                                            "Hallpass-Policy-Commit " + p
                                                    + " is not an earlier commit of this branch"));
                                } else {
                                    if (expected == AuditAction.GRANT) {
                                        b.policyCommit = id;
                                    }
                                    checkApprovers(b, t, sha, id);
                                }
                            },
                            () -> inconsistent(b, sha, "missing Hallpass-Policy-Commit"));
            if (t.pullRequest().isEmpty()) {
                inconsistent(b, sha, "missing Hallpass-Pull-Request");
            } else if (expected == AuditAction.GRANT) {
                b.pullRequest = t.pullRequest();
            }
            if (!t.approvedByPresent()) {
                inconsistent(b, sha, "missing Hallpass-Approved-By");
            }
            b.approvedBy = t.approvedBy();
            b.codes = t.codes();
            b.requester().ifPresent(r -> {
                if (t.approvedBy().contains(r)) {
                    b.findings.add(Finding.compliance(
                            Finding.SELF_APPROVAL, sha, r.value() + " is listed as an approver of their own request"));
                }
            });
            boolean emergency = b.draft != null && b.draft.emergency();
            List<Login> others = t.approvedBy().stream()
                    .filter(l -> !b.requester().equals(Optional.of(l)))
                    .toList();
            // A role that needs no approvals in the environment (staging, say) is merged without any, as it should be.
            if (!emergency && others.isEmpty() && approvalsNeeded(b, t) != 0) {
                b.findings.add(Finding.compliance(
                        Finding.NO_APPROVERS, sha, "a non-emergency request was merged without any approver"));
            }
        }

        /**
         * The approvals the role needs in the environment by the catalog at the claimed policy commit; -1 when that
         * cannot be told (no policy commit on this branch, no catalog there, a broken request).
         */
        private int approvalsNeeded(Building b, Trailers t) {
            if (b.draft == null
                    || b.draft.role().isEmpty()
                    || b.draft.environment().isEmpty()
                    || t.policyCommit().isEmpty()) {
                return -1;
            }
            ObjectId id = ObjectId.fromString(t.policyCommit().get());
            if (seen.get(id) == null) {
                return -1;
            }
            return catalogAt(id)
                    .flatMap(c -> c.role(b.draft.role().get()))
                    .map(r -> r.environments().get(b.draft.environment().get()))
                    .map(Catalog.RoleEnvironment::approvals)
                    .orElse(-1);
        }

        /** Request and requester claims, common to every action. */
        private static void checkClaims(Building b, Trailers t, String sha) {
            t.request()
                    .ifPresentOrElse(
                            r -> {
                                if (!r.equals(b.id)) {
                                    inconsistent(
                                            b, sha, "Hallpass-Request " + r + " but the commit changes " + b.id.path());
                                }
                            },
                            () -> inconsistent(b, sha, "missing Hallpass-Request"));
            t.requester().ifPresent(r -> {
                if (!b.requester().map(r::equals).orElse(true)) {
                    inconsistent(
                            b,
                            sha,
                            "Hallpass-Requester " + r + " but the file says "
                                    + b.requester().get());
                }
            });
        }

        private static void inconsistent(Building b, String sha, String message) {
            b.findings.add(
                    Finding.integrity(Finding.INCONSISTENT_TRAILER, sha, "forged or inconsistent trailer: " + message));
        }

        private Building review(TreeDiffer.Change ch, RevCommit c, Instant when, Trailers t, Set<RequestId> touched)
                throws IOException {
            String sha = c.name();
            String name = ch.path().substring(REVIEWS.length() + 1);
            if (!name.endsWith(".yaml") || name.contains("/")) {
                return null;
            }
            RequestId id;
            try {
                id = new RequestId(name.substring(0, name.length() - 5));
            } catch (InvalidValueException e) {
                loose.add(Finding.compliance(Finding.UNREADABLE_FILE, sha, ch.path() + ": " + e.getMessage()));
                return null;
            }
            touched.add(id);
            Building b = current.get(id);
            if (b == null) {
                loose.add(Finding.compliance(
                        Finding.REVIEW_UNKNOWN_REQUEST, sha, ch.path() + " reviews a request that was never merged"));
                return null;
            }
            if (ch.type() == 'D') {
                b.findings.add(Finding.integrity(
                        Finding.REVIEW_DELETED, sha, "the retroactive review of " + id + " was deleted"));
                b.review = null;
                return b;
            }
            List<String> problems = new ArrayList<>();
            Optional<byte[]> bytes = blob(reader, ch.newBlob());
            if (bytes.isEmpty()) {
                problems.add(ch.path() + ": the file is larger than " + MAX_BLOB + " bytes");
            }
            Optional<Attestation> read = bytes.flatMap(x -> reviews.read(ch.path(), x, problems));
            if (read.isEmpty()) {
                b.findings.add(Finding.compliance(
                        Finding.UNREADABLE_FILE, sha, ch.path() + " does not parse: " + String.join("; ", problems)));
                return b;
            }
            Attestation a = read.get();
            AuditAction expected = a.outcome() == Attestation.Outcome.APPROVE ? AuditAction.ATTEST : AuditAction.REJECT;
            if (t.isEmpty()) {
                b.findings.add(Finding.integrity(
                        Finding.CHANGED_OUTSIDE_HALLPASS,
                        sha,
                        "review of " + id + " committed without Hallpass trailers"));
            } else {
                if (!t.action().equals(Optional.of(expected))) {
                    inconsistent(
                            b,
                            sha,
                            "Hallpass-Action is "
                                    + t.action().map(Object::toString).orElse("missing") + " but the review file says "
                                    + a.outcome().word());
                }
                t.request().ifPresent(r -> {
                    if (!r.equals(id)) {
                        inconsistent(b, sha, "Hallpass-Request " + r + " but the review is of " + id);
                    }
                });
                if (!t.reviewer().equals(Optional.of(a.reviewer()))) {
                    inconsistent(
                            b,
                            sha,
                            "Hallpass-Reviewer "
                                    + t.reviewer().map(Login::value).orElse("missing") + " but the review file says "
                                    + a.reviewer());
                }
            }
            if (b.pullRequest.isPresent() && b.pullRequest.getAsInt() != a.pullRequest()) {
                inconsistent(
                        b,
                        sha,
                        "the review names pull request #" + a.pullRequest() + " but " + id + " was merged from #"
                                + b.pullRequest.getAsInt());
            }
            boolean self = b.requester().equals(Optional.of(a.reviewer()));
            if (self) {
                b.findings.add(Finding.compliance(
                        Finding.SELF_REVIEW,
                        sha,
                        a.reviewer() + " reviewed their own request; the review does not count"));
            }
            if (a.tampered()) {
                b.findings.add(Finding.compliance(
                        Finding.REVIEW_TAMPERED,
                        sha,
                        "the review comment of " + a.reviewer() + " was edited or deleted; the review does not count"));
            }
            boolean eligible = !self && reviewerEligible(b, a.reviewer());
            if (!self && !eligible) {
                b.findings.add(Finding.compliance(
                        Finding.REVIEWER_NOT_ELIGIBLE,
                        sha,
                        a.reviewer() + " may not approve this role in this environment (catalog at policy commit "
                                + b.policyCommit.abbreviate(12).name() + "); the review does not count"));
            }
            boolean counts = eligible && !a.tampered();
            // A later review that does not count never hides an earlier one by someone else; the same
            // reviewer's review marked tampered replaces (voids) their earlier one.
            if (counts
                    || b.review == null
                    || !b.review.counts()
                    || b.review.reviewer().equals(a.reviewer())) {
                b.review = new AuditRow.Review(a.outcome(), a.reviewer(), a.at(), sha, counts, a.tampered());
            }
            if (counts && a.outcome() == Attestation.Outcome.REJECT) {
                b.findings.add(Finding.compliance(
                        Finding.REVIEW_REJECTED, sha, a.reviewer() + " rejected the emergency access retroactively"));
            }
            return b;
        }

        private AuditRow finish(Building b) {
            boolean emergency = b.draft != null && b.draft.emergency();
            boolean overdue = false;
            if (emergency && options.reviewDeadline() != null) {
                Instant due = b.mergedAt.plus(options.reviewDeadline());
                Optional<AuditRow.Review> counting =
                        Optional.ofNullable(b.review).filter(AuditRow.Review::counts);
                overdue = counting.map(r -> r.at().isAfter(due))
                        .orElse(options.now().isAfter(due));
                if (overdue) {
                    b.findings.add(Finding.compliance(
                            Finding.REVIEW_OVERDUE,
                            b.mergeCommit,
                            "retroactive review was due at " + Trailers.rfc3339(due)
                                    + counting.map(r -> " and given at " + Trailers.rfc3339(r.at()))
                                            .orElse(" and is missing")));
                }
            }
            return new AuditRow(
                    b.id,
                    b.requester(),
                    b.draft == null ? Optional.empty() : b.draft.role(),
                    b.draft == null ? Optional.empty() : b.draft.environment(),
                    b.reason,
                    emergency,
                    b.draft == null ? Optional.empty() : b.draft.incident(),
                    b.pullRequest,
                    b.codes,
                    b.approvedBy,
                    b.mergeCommit,
                    b.mergedAt,
                    b.startsAt,
                    b.expiresAt,
                    b.extensions,
                    Optional.ofNullable(b.revokedAt),
                    Optional.ofNullable(b.revokedHow),
                    b.revertPullRequest,
                    Optional.ofNullable(b.revertCommit),
                    Optional.ofNullable(b.review),
                    overdue,
                    b.findings);
        }
    }

    private static volatile boolean cacheEnlarged;

    /**
     * JGit's default pack window cache is 10 MiB, so walking a history larger than that re-reads the same
     * pack windows from disk again and again. The cache is global to JGit; this only ever enlarges it.
     */
    static synchronized void enlargeCache() {
        if (cacheEnlarged) {
            return;
        }
        WindowCacheConfig c = new WindowCacheConfig();
        long max = Runtime.getRuntime().maxMemory();
        c.setPackedGitLimit(Math.max(c.getPackedGitLimit(), Math.min(1L << 30, max / 4)));
        c.setPackedGitOpenFiles(Math.max(c.getPackedGitOpenFiles(), 256));
        c.setDeltaBaseCacheLimit(Math.max(c.getDeltaBaseCacheLimit(), (int) Math.min(64L << 20, max / 16)));
        c.install();
        cacheEnlarged = true;
    }

    /** Larger than any file Hallpass accepts, small enough that a hostile blob cannot exhaust memory. */
    static final int MAX_BLOB = 1 << 20;

    /** A blob's bytes, or empty when it is larger than {@link #MAX_BLOB}: a finding, not a crash. */
    static Optional<byte[]> blob(ObjectReader reader, ObjectId id) throws IOException {
        try {
            return Optional.of(reader.open(id).getCachedBytes(MAX_BLOB));
        } catch (org.eclipse.jgit.errors.LargeObjectException e) {
            return Optional.empty();
        }
    }

    static boolean contains(byte[] buf, byte[] needle) {
        outer:
        for (int i = 0, n = buf.length - needle.length; i <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Hallpass writes the expiry into the merge message before GitHub stamps the merge commit, so the two
     * can differ by the time the merge call takes; more than that is a claim the files do not support.
     */
    static final java.time.Duration EXPIRY_CLAIM_TOLERANCE = java.time.Duration.ofMinutes(2);

    static boolean closeEnough(Instant claimed, Instant actual) {
        return java.time.Duration.between(claimed, actual).abs().compareTo(EXPIRY_CLAIM_TOLERANCE) <= 0;
    }
}
