package dev.hallpass.review;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An emergency request merged into the default branch, as its retroactive review needs it.
 *
 * @param pullRequest the pull request whose merge granted it (the one the review file names)
 * @param pullRequests that one and the emergency extensions merged since
 * @param author who opened the granting pull request (a delegate may open it for the requester)
 * @param start the request's scheduled start, if any
 */
public record Emergency(
        RequestId request,
        int pullRequest,
        Set<Integer> pullRequests,
        Login requester,
        String author,
        RoleName role,
        EnvironmentName environment,
        Instant mergedAt,
        Optional<Instant> start) {

    public Emergency {
        pullRequests = Set.copyOf(pullRequests);
    }

    static Emergency of(EmergencyIndex.Found f) {
        return new Emergency(
                f.id(),
                f.pullRequest().number(),
                Set.of(f.pullRequest().number()),
                f.request().requester(),
                f.pullRequest().author(),
                f.request().role(),
                f.request().environment(),
                EmergencyIndex.mergedAt(f.pullRequest()),
                f.request().start());
    }

    Emergency withExtension(int number) {
        Set<Integer> all = new TreeSet<>(pullRequests);
        all.add(number);
        return new Emergency(request, pullRequest, all, requester, author, role, environment, mergedAt, start);
    }
}
