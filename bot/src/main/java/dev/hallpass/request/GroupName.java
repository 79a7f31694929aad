package dev.hallpass.request;

/** A group name from the access repository: lowercase letters, digits and hyphens. */
public record GroupName(String value) implements Comparable<GroupName> {
    public GroupName {
        Name.check("group name", value, Name.SLUG);
    }

    public static GroupName of(String value) {
        return new GroupName(value);
    }

    @Override
    public int compareTo(GroupName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
