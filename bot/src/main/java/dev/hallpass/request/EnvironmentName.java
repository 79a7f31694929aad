package dev.hallpass.request;

/** A environment name from the access repository: lowercase letters, digits and hyphens. */
public record EnvironmentName(String value) implements Comparable<EnvironmentName> {
    public EnvironmentName {
        Name.check("environment name", value, Name.SLUG);
    }

    public static EnvironmentName of(String value) {
        return new EnvironmentName(value);
    }

    @Override
    public int compareTo(EnvironmentName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
