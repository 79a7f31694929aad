package dev.hallpass.github;

import java.util.Objects;
import java.util.regex.Pattern;

/** Validation of the names GitHub hands us, so malformed input fails at the boundary, not deep in a URL. */
public final class GitHubNames {
    // GitHub logins: ASCII letters, digits and hyphens, at most 39 characters; a managed user (Enterprise Managed
    // Users) adds "_shortcode". App bots answer as "slug[bot]".
    private static final Pattern LOGIN =
            Pattern.compile("(?=[A-Za-z0-9_-]{1,39}(?:\\[bot])?$)[A-Za-z0-9-]+(?:_[A-Za-z0-9]+)?(\\[bot])?");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9-]{1,39}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private GitHubNames() {}

    public static String login(String login) {
        Objects.requireNonNull(login, "login");
        if (!LOGIN.matcher(login).matches()) {
            throw new IllegalArgumentException("not a GitHub login: " + printable(login));
        }
        return login;
    }

    public static String owner(String owner) {
        Objects.requireNonNull(owner, "owner");
        if (!OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException("not a GitHub owner: " + printable(owner));
        }
        return owner;
    }

    public static String repo(String name) {
        Objects.requireNonNull(name, "repository name");
        if (!REPO.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a repository name: " + printable(name));
        }
        return name;
    }

    public static String teamSlug(String slug) {
        Objects.requireNonNull(slug, "team slug");
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("not a team slug: " + printable(slug));
        }
        return slug;
    }

    public static String sha(String sha) {
        Objects.requireNonNull(sha, "sha");
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a commit sha: " + printable(sha));
        }
        return sha;
    }

    /** Branch names as git allows them, minus the forms that would be ambiguous in a REST path. */
    public static String branch(String branch) {
        Objects.requireNonNull(branch, "branch");
        if (branch.isEmpty()
                || branch.length() > 255
                || branch.startsWith("/")
                || branch.endsWith("/")
                || branch.endsWith(".lock")
                || branch.contains("..")
                || branch.contains("//")
                || branch.startsWith("refs/")
                || !branch.chars().allMatch(c -> c > 0x20 && c < 0x7f && "~^:?*[\\".indexOf(c) < 0)) {
            throw new IllegalArgumentException("not a branch name: " + printable(branch));
        }
        return branch;
    }

    /** Repository-relative file path: no leading slash, no dot segments. */
    public static String path(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a repository path: " + printable(path));
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("not a repository path: " + printable(path));
            }
        }
        return path;
    }

    static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder sb = new StringBuilder("\"");
        cut.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                sb.appendCodePoint(c);
            } else {
                sb.append(String.format("\\u%04x", c));
            }
        });
        return sb.append('"').toString();
    }
}
