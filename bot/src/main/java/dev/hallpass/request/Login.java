package dev.hallpass.request;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A GitHub login. ASCII letters, digits and single inner hyphens, at most 39 characters, compared
 * case-insensitively as GitHub does. A managed user of GitHub Enterprise Managed Users carries its
 * enterprise's short code after one underscore ({@code alice_acme}), so one {@code _suffix} is allowed. Look-alike characters from other scripts are refused by name, so
 * {@code аlice} (Cyrillic a) can never pass for {@code alice}.
 */
public record Login(String value) implements Comparable<Login> {
    private static final int MAX_LENGTH = 39;
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*(?:_[a-z0-9]+)?");

    public Login {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("empty", "login is empty");
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (cp > 0x7e) {
                throw new InvalidValueException(
                        "non_ascii",
                        String.format(
                                "login '%s' contains U+%04X %s; GitHub logins are ASCII letters, digits and hyphens",
                                printable(value), cp, describe(cp)));
            }
            i += Character.charCount(cp);
        }
        value = value.toLowerCase(Locale.ROOT);
        if (value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()) {
            throw new InvalidValueException(
                    "invalid",
                    "'" + value + "' is not a GitHub login (letters, digits, single inner hyphens, an optional"
                            + " _shortcode of a managed user, at most 39)");
        }
    }

    public static Login of(String value) {
        return new Login(value);
    }

    private static String describe(int cp) {
        String name = Character.getName(cp);
        return name == null ? "(unassigned)" : name;
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    @Override
    public int compareTo(Login o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
