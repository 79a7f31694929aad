package dev.hallpass.lifecycle;

import dev.hallpass.grant.Grant;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Pos;
import dev.hallpass.request.Problem;
import dev.hallpass.request.RequestParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the requests of a loaded repository into grants; the sources differ only in how they find the merge. */
final class GrantAssembler {
    private static final Pattern PR_NUMBER = Pattern.compile("#(\\d{1,9})\\b");

    /** When and through which pull request a request file reached the default branch. */
    record Merge(Instant at, int pullRequest, String commit) {}

    /** Finds the merge of one request file, or says why it cannot. */
    interface MergeFinder {
        Merge find(String path) throws NotGrantable;
    }

    /** A request file whose merge cannot be established: reported, not granted. */
    static final class NotGrantable extends Exception {
        final String code;

        NotGrantable(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private GrantAssembler() {}

    static GrantSource.Snapshot assemble(String headSha, AccessRepo repo, MergeFinder merges) {
        List<Problem> problems = new ArrayList<>(repo.problems());
        Set<String> badFiles = new HashSet<>();
        repo.problems().forEach(p -> badFiles.add(p.file()));
        List<Grant> grants = new ArrayList<>();
        Optional<Catalog> catalog = repo.catalog();
        for (RequestParser.Parsed parsed : repo.requests().values()) {
            if (badFiles.contains(parsed.file()) || parsed.request().isEmpty() || catalog.isEmpty()) {
                continue; // already reported by the loader
            }
            AccessRequest r = parsed.request().get();
            Optional<Catalog.RoleEnvironment> env =
                    catalog.get().role(r.role()).map(role -> role.environments().get(r.environment()));
            if (env.isEmpty()) {
                problems.add(problem(parsed.file(), "grant.role.unknown", "role or environment not in the catalog"));
                continue;
            }
            Merge merge;
            try {
                merge = merges.find(parsed.file());
            } catch (NotGrantable e) {
                problems.add(problem(parsed.file(), e.code, e.getMessage()));
                continue;
            }
            Instant start = r.start().orElse(merge.at());
            Instant expires = start.plus(r.duration().value());
            try {
                grants.add(new Grant(
                        r.id(),
                        r.requester(),
                        r.role(),
                        r.environment(),
                        env.get().provider(),
                        env.get().target(),
                        start,
                        expires,
                        merge.pullRequest(),
                        merge.commit(),
                        "merged in #" + merge.pullRequest() + " at " + merge.at()));
            } catch (IllegalArgumentException e) {
                problems.add(problem(parsed.file(), "grant.invalid", e.getMessage()));
            }
        }
        problems.sort(Problem.ORDER);
        return new GrantSource.Snapshot(headSha, grants, problems, catalog);
    }

    /** The pull request number in a merge or squash commit's message ("Merge pull request #12", "... (#12)"). */
    static Optional<Integer> pullRequestNumber(String message) {
        Matcher m = PR_NUMBER.matcher(message == null ? "" : message);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))).filter(n -> n > 0) : Optional.empty();
    }

    private static Problem problem(String file, String code, String message) {
        return new Problem(file, Pos.FILE.line(), Pos.FILE.column(), code, message);
    }
}
