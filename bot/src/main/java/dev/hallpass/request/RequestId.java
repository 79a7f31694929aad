package dev.hallpass.request;

import java.util.Optional;
import java.util.regex.Pattern;

/** The id of a request: its file name under {@code requests/} without {@code .yaml}. */
public record RequestId(String value) implements Comparable<RequestId> {
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{2,62}");
    public static final String DIRECTORY = "requests/";
    public static final String SUFFIX = ".yaml";

    public RequestId {
        Name.check("request id", value, PATTERN);
    }

    /** The repository path of this request's file. */
    public String path() {
        return DIRECTORY + value + SUFFIX;
    }

    /**
     * The id of the request file at {@code path}, or empty when the path is not directly under {@code
     * requests/} with the {@code .yaml} suffix. Throws for a request-looking path with a bad id.
     */
    public static Optional<RequestId> fromPath(String path) {
        if (!path.startsWith(DIRECTORY) || !path.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String name = path.substring(DIRECTORY.length(), path.length() - SUFFIX.length());
        if (name.contains("/")) {
            return Optional.empty();
        }
        return Optional.of(new RequestId(name));
    }

    @Override
    public int compareTo(RequestId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
