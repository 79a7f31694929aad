package dev.hallpass.audit;

import dev.hallpass.request.AccessDuration;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Builds access-repository histories the way Hallpass and GitHub would write them. */
final class AuditFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    final Repository repo;
    final HistoryWriter git;
    ObjectId base;
    int nextPr = 100;

    AuditFixture(Path dir) throws IOException {
        this(dir, false);
    }

    /** With {@code template}, the first commit holds the template's settings, catalog and on-call. */
    AuditFixture(Path dir, boolean template) throws IOException {
        repo = FileRepositoryBuilder.create(dir.resolve(".git").toFile());
        repo.create();
        git = new HistoryWriter(repo);
        if (template) {
            for (String f : List.of("hallpass.yaml", "oncall.yaml", "catalog/roles.yaml", "catalog/groups.yaml")) {
                git.put(f, java.nio.file.Files.readAllBytes(dev.hallpass.testing.TemplateRepo.PATH.resolve(f)));
            }
        } else {
            git.put("hallpass.yaml", "apiVersion: hallpass/v1\n");
        }
        git.put("requests/README.md", "How to ask for access\n");
        base = git.commit("Initial access repository", T0);
        git.updateRef("refs/heads/main");
        repo.updateRef("HEAD").link("refs/heads/main");
    }

    static AccessRequest request(String id, String requester, String role, String env, String duration) {
        return new AccessRequest(
                new RequestId(id),
                new Login(requester),
                new RoleName(role),
                new EnvironmentName(env),
                AccessDuration.parse(duration),
                "Investigate SUP-1182",
                false,
                Optional.empty(),
                Optional.empty());
    }

    static AccessRequest emergency(String id, String requester, String role, String env, String duration) {
        return new AccessRequest(
                new RequestId(id),
                new Login(requester),
                new RoleName(role),
                new EnvironmentName(env),
                AccessDuration.parse(duration),
                "INC-4211: kill blocking queries",
                true,
                Optional.of("INC-4211"),
                Optional.empty());
    }

    static String yaml(AccessRequest r) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: "
                + r.requester().value() + "\nrole: "
                + r.role() + "\nenvironment: " + r.environment() + "\nduration: " + r.duration() + "\nreason: \""
                + r.reason() + "\"\n"
                + (r.emergency() ? "emergency: true\nincident: " + r.incident().get() + "\n" : "")
                + r.start().map(s -> "start: " + s + "\n").orElse("");
    }

    DecisionStamp decision(String codes) {
        return new DecisionStamp(
                DecisionStamp.digest("input+decision " + codes), base.name(), List.of(codes.split(",")));
    }

    static List<Login> logins(String... names) {
        return java.util.Arrays.stream(names).map(Login::new).toList();
    }

    /** Merges a pull request adding the request, with Hallpass's grant message; returns the merge commit. */
    ObjectId grant(AccessRequest r, Instant at, List<Login> approvers) throws IOException {
        int pr = nextPr++;
        git.put(r.id().path(), yaml(r));
        Instant start = r.start().filter(s -> s.isAfter(at)).orElse(at);
        ObjectId c = git.merge(
                CommitMessages.grant(
                        r,
                        pr,
                        approvers,
                        decision(r.emergency() ? "emergency.allowed" : "approved"),
                        start.plus(r.duration().value())),
                at,
                base);
        git.updateRef("refs/heads/main");
        return c;
    }

    ObjectId extend(AccessRequest r, Instant mergedAt, Instant at, List<Login> approvers) throws IOException {
        int pr = nextPr++;
        git.put(r.id().path(), yaml(r));
        ObjectId c = git.merge(
                CommitMessages.extend(
                        r,
                        pr,
                        approvers,
                        decision("extension.approved"),
                        mergedAt.plus(r.duration().value())),
                at,
                git.head());
        git.updateRef("refs/heads/main");
        return c;
    }

    ObjectId expire(AccessRequest r, Instant expiredAt, Instant at) throws IOException {
        git.delete(r.id().path());
        ObjectId c = git.merge(CommitMessages.expire(r, nextPr++, expiredAt), at, git.head());
        git.updateRef("refs/heads/main");
        return c;
    }

    ObjectId revoke(AccessRequest r, String by, Instant at) throws IOException {
        git.delete(r.id().path());
        ObjectId c = git.merge(CommitMessages.revoke(r, nextPr++, new Login(by), "done early"), at, git.head());
        git.updateRef("refs/heads/main");
        return c;
    }

    ObjectId attest(AccessRequest r, int pr, String reviewer, Attestation.Outcome outcome, Instant at, boolean tampered)
            throws IOException {
        Attestation a =
                new Attestation(r.id(), pr, outcome, new Login(reviewer), "looked at the session log", at, tampered);
        git.put(a.path(), AttestationYaml.write(a));
        ObjectId c = git.commit(CommitMessages.attest(a, r.requester()), at);
        git.updateRef("refs/heads/main");
        return c;
    }

    /** A plain commit, as someone pushing or merging without Hallpass would make. */
    ObjectId plain(String message, Instant at) throws IOException {
        ObjectId c = git.commit(message, at);
        git.updateRef("refs/heads/main");
        return c;
    }

    AuditLog audit(Instant now) throws IOException {
        return AuditLog.read(repo, "refs/heads/main", AuditLog.Options.at(now));
    }

    @Override
    public void close() throws IOException {
        git.close();
        repo.close();
    }
}
