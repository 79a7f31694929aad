package dev.hallpass.request;

/** A provider name from the access repository: lowercase letters, digits and hyphens. */
public record ProviderName(String value) implements Comparable<ProviderName> {
    public ProviderName {
        Name.check("provider name", value, Name.SLUG);
    }

    public static ProviderName of(String value) {
        return new ProviderName(value);
    }

    @Override
    public int compareTo(ProviderName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
