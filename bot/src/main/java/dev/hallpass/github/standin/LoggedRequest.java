package dev.hallpass.github.standin;

import java.time.Instant;

/** One REST request the stand-in answered, for counting API calls and asserting on traffic. */
public record LoggedRequest(Instant at, String method, String path, String query, int status, String principal) {
    @Override
    public String toString() {
        return method + " " + path + (query == null || query.isEmpty() ? "" : "?" + query) + " -> " + status;
    }
}
