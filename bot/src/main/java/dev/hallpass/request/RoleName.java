package dev.hallpass.request;

/** A role name from the access repository: lowercase letters, digits and hyphens. */
public record RoleName(String value) implements Comparable<RoleName> {
    public RoleName {
        Name.check("role name", value, Name.SLUG);
    }

    public static RoleName of(String value) {
        return new RoleName(value);
    }

    @Override
    public int compareTo(RoleName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
