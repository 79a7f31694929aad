package dev.hallpass.grant;

/**
 * The little of GitHub that {@link GitHubTeamProvider} needs, so the provider does not depend on the GitHub
 * gateway and can be tested in memory. Failures are thrown as unchecked exceptions.
 */
public interface TeamMembership {
    boolean isMember(String organization, String team, String login);

    /** Adds {@code login} to the team; adding a member is harmless. */
    void add(String organization, String team, String login);

    /** Removes {@code login} from the team; removing a non-member is harmless. */
    void remove(String organization, String team, String login);
}
