package dev.hallpass.cli;

import dev.hallpass.audit.AuditFormats;
import dev.hallpass.audit.AuditLog;
import dev.hallpass.audit.AuditRow;
import dev.hallpass.audit.Checkpoint;
import dev.hallpass.audit.CommitSigning;
import dev.hallpass.audit.CommitVerifier;
import dev.hallpass.audit.JsonlChain;
import dev.hallpass.audit.LeaseIndex;
import dev.hallpass.audit.Trailers;
import dev.hallpass.git.GitCommitTree;
import dev.hallpass.request.AccessDuration;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.InvalidValueException;
import dev.hallpass.request.RoleName;
import dev.hallpass.request.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hallpass audit}: who had what access, when, why and who approved it, from git history alone. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "One row per request, reconstructed from the history of the access repository's default branch.",
            "Exit 0 with no findings, 1 with findings, 2 on a usage error."
        },
        subcommands = {
            AuditCommand.Who.class,
            AuditCommand.Verify.class,
            AuditCommand.CheckpointCommand.class,
            AuditCommand.VerifyChain.class
        })
public final class AuditCommand implements Callable<Integer> {

    /** Options every audit subcommand shares. */
    static final class RepoOptions {
        @Option(names = "--repo", defaultValue = ".", description = "The access repository (default: .)")
        Path repo;

        @Option(names = "--ref", defaultValue = "main", description = "The default branch (default: main)")
        String ref;

        @Option(
                names = "--review-deadline",
                description = "Retroactive reviews are due this long after an emergency merge (e.g. 72h);"
                        + " default: emergency.review_deadline of hallpass.yaml at the ref")
        String reviewDeadline;

        @Option(
                names = "--allowed-signers",
                description = "Verify SSH-signed commits against this allowed-signers file (ssh-ed25519 only)")
        Path allowedSigners;

        @Option(
                names = "--require-signed",
                description = "With --allowed-signers: attest and reject commits must be signed")
        boolean requireSigned;

        @Option(names = "--now", hidden = true, description = "The time to judge overdue reviews at (tests)")
        String now;
    }

    static Instant time(CommandSpec spec, String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ParameterException(
                        spec.commandLine(),
                        option + ": '" + text + "' is not a time; write 2026-11-21T10:00:00Z or 2026-11-21");
            }
        }
    }

    static Repository open(CommandSpec spec, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "not a directory: " + dir);
        }
        try {
            FileRepositoryBuilder b = new FileRepositoryBuilder()
                    .setMustExist(true)
                    .findGitDir(dir.toAbsolutePath().toFile());
            if (b.getGitDir() == null) {
                throw new ParameterException(spec.commandLine(), dir + " is not in a git repository");
            }
            return b.build();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot open git repository: " + e.getMessage());
        }
    }

    static ObjectId resolve(CommandSpec spec, Repository git, String ref) throws IOException {
        ObjectId id = git.resolve(ref + "^{commit}");
        if (id == null) {
            throw new ParameterException(spec.commandLine(), "no commit '" + ref + "' in " + git.getDirectory());
        }
        return id;
    }

    static AuditLog read(CommandSpec spec, Repository git, ObjectId head, RepoOptions o, Clock clock)
            throws IOException {
        Instant now = o.now == null ? clock.instant() : time(spec, "--now", o.now);
        Duration deadline = null;
        if (o.reviewDeadline != null) {
            try {
                deadline = AccessDuration.parse(o.reviewDeadline).value();
            } catch (InvalidValueException e) {
                throw new ParameterException(spec.commandLine(), "--review-deadline: " + e.getMessage());
            }
        } else {
            deadline = settingsDeadline(git, head).orElse(null);
        }
        CommitVerifier verifier = null;
        if (o.allowedSigners != null) {
            CommitSigning.AllowedSigners allowed = CommitSigning.AllowedSigners.read(o.allowedSigners);
            verifier =
                    CommitSigning.verifier(allowed, o.requireSigned ? CommitSigning.LOCAL_ACTIONS : java.util.Set.of());
        } else if (o.requireSigned) {
            throw new ParameterException(spec.commandLine(), "--require-signed needs --allowed-signers");
        }
        return AuditLog.read(git, head, new AuditLog.Options(deadline, now, verifier));
    }

    private static Optional<Duration> settingsDeadline(Repository git, ObjectId head) {
        try {
            return new AccessRepoLoader()
                    .loadConfig(GitCommitTree.at(git, head.name()))
                    .settings()
                    .map(Settings::emergency)
                    .map(Settings.Emergency::reviewDeadline);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no readable settings: no deadline, so nothing is judged overdue
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions repoOptions;

    @Option(names = "--since", description = "Only requests whose access or review touches [since, until)")
    String since;

    @Option(names = "--until", description = "See --since")
    String until;

    @Option(names = "--format", defaultValue = "table", description = "table (default), json, csv, md or jsonl")
    AuditFormats.Format format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        Instant from = time(spec, "--since", since);
        Instant to = time(spec, "--until", until);
        try (Repository git = open(spec, repoOptions.repo)) {
            AuditLog log = read(spec, git, resolve(spec, git, repoOptions.ref), repoOptions, clock);
            List<AuditRow> rows = log.rows(from, to);
            PrintWriter out = spec.commandLine().getOut();
            AuditFormats.write(log, rows, format, out);
            boolean findings = rows.stream().anyMatch(r -> !r.findings().isEmpty())
                    || !log.unattachedFindings().isEmpty();
            if (format == AuditFormats.Format.table) {
                log.unattachedFindings().forEach(f -> out.println(f.format()));
                out.println(rows.size() + " request(s), "
                        + (rows.stream().mapToLong(r -> r.findings().size()).sum()
                                + log.unattachedFindings().size())
                        + " finding(s), " + log.commits() + " commits up to "
                        + log.head().substring(0, 12));
            }
            out.flush();
            return findings ? 1 : 0;
        }
    }

    /** {@code hallpass audit who}: whose access was in force at a moment. */
    @Command(
            name = "who",
            mixinStandardHelpOptions = true,
            description = {
                "Who had this role in this environment at --at: start <= at < expiry or revocation.",
                "Exit 0, or 2 on a usage error."
            })
    static final class Who implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--role", required = true)
        String role;

        @Option(names = "--environment", required = true)
        String environment;

        @Option(names = "--at", required = true, description = "RFC 3339 time, e.g. 2026-11-21T10:00:00Z")
        String at;

        @Option(names = "--format", defaultValue = "table", description = "table (default) or json")
        String format;

        @Option(
                names = "--no-cache",
                description = "Walk the history even if .git/hallpass/leases-v1.tsv was written for this head")
        boolean noCache;

        @Override
        public Integer call() throws IOException {
            Instant t = time(spec, "--at", at);
            RoleName r;
            EnvironmentName e;
            try {
                r = new RoleName(role);
                e = new EnvironmentName(environment);
            } catch (InvalidValueException ex) {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            if (!format.equals("table") && !format.equals("json")) {
                throw new ParameterException(spec.commandLine(), "--format must be table or json");
            }
            try (Repository git = open(spec, repoOptions.repo)) {
                ObjectId head = resolve(spec, git, repoOptions.ref);
                LeaseIndex index = noCache
                        ? LeaseIndex.of(read(spec, git, head, repoOptions, Clock.systemUTC()))
                        : LeaseIndex.load(git, head, () -> read(spec, git, head, repoOptions, Clock.systemUTC()));
                List<LeaseIndex.Lease> leases = index.who(r, e, t);
                PrintWriter out = spec.commandLine().getOut();
                if (format.equals("json")) {
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (LeaseIndex.Lease l : leases) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("person", l.person());
                        m.put("request", l.request());
                        m.put("starts_at", Trailers.rfc3339(l.start()));
                        m.put("ends_at", Trailers.rfc3339(l.end()));
                        m.put("pull_request", l.pullRequest() == 0 ? null : l.pullRequest());
                        m.put("emergency", l.emergency());
                        m.put(
                                "approved_by",
                                l.approvedBy().isEmpty()
                                        ? List.of()
                                        : List.of(l.approvedBy().split(",")));
                        m.put("revoked_at", l.revokedAt().map(Trailers::rfc3339).orElse(null));
                        list.add(m);
                    }
                    out.println(new com.fasterxml.jackson.databind.ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(list));
                } else {
                    for (LeaseIndex.Lease l : leases) {
                        out.println(l.person() + "  " + l.request() + "  " + Trailers.rfc3339(l.start()) + " .. "
                                + Trailers.rfc3339(l.end()) + "  "
                                + (l.pullRequest() == 0 ? "" : "#" + l.pullRequest() + "  ")
                                + (l.emergency() ? "emergency" : "approved by " + l.approvedBy())
                                + l.revokedAt()
                                        .filter(x -> !x.isAfter(l.expiresAt()))
                                        .map(x -> "  (revoked)")
                                        .orElse(""));
                    }
                    out.println(leases.size() + " person(s) had " + r + " on " + e + " at " + Trailers.rfc3339(t));
                }
                out.flush();
                return 0;
            }
        }
    }

    /** {@code hallpass audit verify}: the history is intact. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Check the history is intact: the checkpoint (refs/hallpass/audited) is still an ancestor of the"
                        + " branch, trailers agree with the files, signatures verify when --allowed-signers is given.",
                "Exit 0 with a one-line summary when intact, 1 with the reasons otherwise, 2 on a usage error."
            })
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Option(names = "--checkpoint", description = "Compare with this commit instead of " + Checkpoint.REF)
        String checkpoint;

        @Override
        public Integer call() throws IOException {
            try (Repository git = open(spec, repoOptions.repo)) {
                ObjectId head = resolve(spec, git, repoOptions.ref);
                Optional<ObjectId> cp;
                if (checkpoint != null) {
                    if (!ObjectId.isId(checkpoint)) {
                        throw new ParameterException(spec.commandLine(), "--checkpoint needs a full 40-hex sha");
                    }
                    cp = Optional.of(ObjectId.fromString(checkpoint));
                } else {
                    cp = Checkpoint.read(git);
                }
                AuditLog log = read(spec, git, head, repoOptions, Clock.systemUTC());
                Checkpoint.Result result = Checkpoint.verify(git, log, cp);
                PrintWriter out = spec.commandLine().getOut();
                result.reasons().forEach(out::println);
                out.println(result.summary());
                out.flush();
                return result.intact() ? 0 : 1;
            }
        }
    }

    /** {@code hallpass audit checkpoint}: records the branch head as audited. */
    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            description = {
                "Point " + Checkpoint.REF + " at the branch head after verifying it; later verifies check that"
                        + " history only grew from there. Push the ref somewhere safe too.",
                "Exit 0 when written, 1 when the history is not intact, 2 on a usage error."
            })
    static final class CheckpointCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RepoOptions repoOptions;

        @Override
        public Integer call() throws IOException {
            try (Repository git = open(spec, repoOptions.repo)) {
                ObjectId head = resolve(spec, git, repoOptions.ref);
                AuditLog log = read(spec, git, head, repoOptions, Clock.systemUTC());
                Checkpoint.Result result = Checkpoint.verify(git, log, Checkpoint.read(git));
                PrintWriter out = spec.commandLine().getOut();
                if (!result.intact()) {
                    result.reasons().forEach(out::println);
                    out.println("not writing the checkpoint: " + result.summary());
                    out.flush();
                    return 1;
                }
                Checkpoint.write(git, head);
                out.println("checkpoint " + Checkpoint.REF + " -> " + head.name());
                out.flush();
                return 0;
            }
        }
    }

    /** {@code hallpass audit verify-chain}: checks a jsonl export's hash chain. */
    @Command(
            name = "verify-chain",
            mixinStandardHelpOptions = true,
            description = {
                "Check the hash chain of an 'audit --format jsonl' export.",
                "Exit 0 and the last hash when intact, 1 where it breaks, 2 on a usage error."
            })
    static final class VerifyChain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "The export file")
        Path file;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + file);
            }
            JsonlChain.Check c;
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                c = JsonlChain.verify(r);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(c.ok() ? "intact: " + c.lines() + " record(s), last hash " + c.lastHash() : c.problem());
            out.flush();
            return c.ok() ? 0 : 1;
        }
    }
}
