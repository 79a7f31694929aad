package dev.hallpass.audit;

import dev.hallpass.request.AccessDuration;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * A large, realistic access-repository history for the benchmark: grants merged by Hallpass (a pull request
 * commit and a merge commit each), some extended, most expiring and some revoked early, emergencies with
 * retroactive reviews, and unrelated commits in between. Deterministic for a given seed.
 */
public final class SyntheticHistory {
    public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final List<String> ROLES = List.of("db-readonly", "db-admin", "github-admin", "cloud-viewer");
    static final List<String> ENVIRONMENTS = List.of("staging", "prod-eu", "prod-us");

    /** What was written. */
    public record Stats(int commits, int requests, ObjectId head, Instant end) {}

    private SyntheticHistory() {}

    private record Live(AccessRequest request, Instant mergedAt, Instant endAt, boolean revoke, int pr)
            implements Comparable<Live> {
        @Override
        public int compareTo(Live o) {
            return endAt.compareTo(o.endAt);
        }
    }

    /** Writes about {@code commits} commits holding {@code requests} requests into {@code writer}. */
    public static Stats write(Repository repo, HistoryWriter w, int commits, int requests, long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Instant t = T0;
        w.put("hallpass.yaml", "apiVersion: hallpass/v1\nkind: Settings\n");
        w.put("requests/README.md", "How to ask for access\n");
        ObjectId base = w.commit("Initial access repository", t);
        int written = 1;
        int granted = 0;
        int pr = 1;
        PriorityQueue<Live> live = new PriorityQueue<>();
        // Request commits average about 4.6 (merge pairs for grant and end, some extensions and reviews).
        double grantEvery = Math.max(1.0, (commits - 1) / Math.max(1.0, requests * 4.6));
        double credit = 0;
        while (written < commits || granted < requests) {
            t = t.plusSeconds(60);
            while (!live.isEmpty() && !live.peek().endAt().isAfter(t)) {
                Live l = live.poll();
                t = t.plusSeconds(1);
                w.delete(l.request().id().path());
                String msg = l.revoke()
                        ? CommitMessages.revoke(l.request(), pr++, l.request().requester(), "done early")
                        : CommitMessages.expire(l.request(), pr++, l.endAt());
                w.merge(msg, t, w.head());
                written += 2;
                if (l.request().emergency()) {
                    t = t.plusSeconds(1);
                    Attestation a = new Attestation(
                            l.request().id(),
                            l.pr(),
                            Attestation.Outcome.APPROVE,
                            new Login("reviewer" + rnd.nextInt(5)),
                            "checked the session log",
                            t,
                            false);
                    w.put(a.path(), AttestationYaml.write(a));
                    w.commit(CommitMessages.attest(a, l.request().requester()), t);
                    written++;
                }
            }
            credit += 1;
            if (granted < requests && credit >= grantEvery) {
                credit -= grantEvery;
                boolean emergency = rnd.nextInt(10) == 0;
                AccessRequest r = new AccessRequest(
                        new RequestId("req-" + granted),
                        new Login("user" + rnd.nextInt(500)),
                        new RoleName(ROLES.get(rnd.nextInt(ROLES.size()))),
                        new EnvironmentName(ENVIRONMENTS.get(rnd.nextInt(ENVIRONMENTS.size()))),
                        new AccessDuration(Duration.ofMinutes(30L * (1 + rnd.nextInt(8)))),
                        emergency
                                ? "INC-" + (1000 + granted) + ": orders database locked"
                                : "Investigate SUP-" + granted,
                        emergency,
                        emergency ? Optional.of("INC-" + (1000 + granted)) : Optional.empty(),
                        Optional.empty());
                int grantPr = pr++;
                Instant expires = t.plus(r.duration().value());
                w.put(r.id().path(), yaml(r));
                List<Login> approvers = emergency ? List.of() : List.of(new Login("approver" + rnd.nextInt(20)));
                w.merge(CommitMessages.grant(r, grantPr, approvers, decision(base, r), expires), t, base);
                written += 2;
                granted++;
                if (rnd.nextInt(5) == 0) {
                    // Extended a little later, by doubling the duration.
                    t = t.plusSeconds(60);
                    r = new AccessRequest(
                            r.id(),
                            r.requester(),
                            r.role(),
                            r.environment(),
                            new AccessDuration(r.duration().value().multipliedBy(2)),
                            r.reason(),
                            r.emergency(),
                            r.incident(),
                            r.start());
                    expires = t.minusSeconds(60).plus(r.duration().value());
                    w.put(r.id().path(), yaml(r));
                    w.merge(CommitMessages.extend(r, pr++, approvers, decision(base, r), expires), t, w.head());
                    written += 2;
                }
                boolean revoke = rnd.nextInt(10) == 0;
                Instant end = revoke ? t.plus(r.duration().value().dividedBy(4)) : expires;
                live.add(new Live(r, t, end, revoke, grantPr));
            } else if (written < commits) {
                w.put("notes/changelog.txt", "change " + written + "\n");
                w.commit("Update notes " + written, t);
                written++;
            }
            if (written % 5000 < 3) {
                base = w.head();
            }
        }
        w.flush();
        return new Stats(written, granted, w.head(), t);
    }

    private static DecisionStamp decision(ObjectId base, AccessRequest r) {
        return new DecisionStamp(
                DecisionStamp.digest(r.id() + "/" + r.duration()),
                base.name(),
                List.of(r.emergency() ? "emergency.allowed" : "approved"));
    }

    static String yaml(AccessRequest r) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: "
                + r.requester().value() + "\nrole: "
                + r.role() + "\nenvironment: " + r.environment() + "\nduration: " + r.duration() + "\nreason: \""
                + r.reason() + "\"\n"
                + (r.emergency() ? "emergency: true\nincident: " + r.incident().get() + "\n" : "");
    }
}
