package dev.hallpass.github;

/** A repository as "owner/name". */
public record RepoName(String owner, String name) {
    public RepoName {
        GitHubNames.owner(owner);
        GitHubNames.repo(name);
    }

    public static RepoName parse(String fullName) {
        if (fullName == null) {
            throw new IllegalArgumentException("repository name is null");
        }
        int slash = fullName.indexOf('/');
        if (slash < 0 || fullName.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("expected owner/name, got " + GitHubNames.printable(fullName));
        }
        return new RepoName(fullName.substring(0, slash), fullName.substring(slash + 1));
    }

    public String fullName() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return fullName();
    }
}
