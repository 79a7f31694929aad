package dev.hallpass.request;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The access repository as read from one tree: its settings, catalog, on-call rotations and requests,
 * and every problem found. A part that could not be read is empty and its problems say why.
 */
public record AccessRepo(
        String source,
        Optional<Settings> settings,
        Optional<Catalog> catalog,
        Optional<OnCall> onCall,
        Map<RequestId, RequestParser.Parsed> requests,
        List<Problem> problems) {

    public AccessRepo {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(onCall, "onCall");
        requests = Map.copyOf(requests);
        problems = List.copyOf(problems);
    }

    public boolean isClean() {
        return problems.isEmpty();
    }
}
