package dev.hallpass.request;

import java.util.regex.Pattern;

/** Shape checks shared by the names of the access repository (roles, environments, providers, ids). */
final class Name {
    /** Request ids, role, environment, group and provider names: lowercase, digits and inner hyphens. */
    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Name() {}

    static String check(String kind, String value, Pattern pattern) {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("empty", kind + " is empty");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidValueException(
                    "invalid", kind + " '" + Login.printable(value) + "' must match " + pattern.pattern());
        }
        return value;
    }
}
