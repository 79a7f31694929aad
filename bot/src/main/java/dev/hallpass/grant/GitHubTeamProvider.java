package dev.hallpass.grant;

import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Grants membership of a GitHub team (the target is the team's slug). GitHub has no expiring team
 * membership, so there is no native expiry: the revoke is what ends access.
 */
public final class GitHubTeamProvider implements Provider {
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final ProviderName name;
    private final String organization;
    private final TeamMembership teams;

    public GitHubTeamProvider(ProviderName name, String organization, TeamMembership teams) {
        this.name = Objects.requireNonNull(name, "name");
        if (organization == null || !SLUG.matcher(organization).matches()) {
            throw new IllegalArgumentException("'" + organization + "' is not a GitHub organization");
        }
        this.organization = organization;
        this.teams = Objects.requireNonNull(teams, "teams");
    }

    @Override
    public ProviderName name() {
        return name;
    }

    @Override
    public Outcome apply(Grant grant, boolean dryRun) {
        return change(Action.APPLY, grant, dryRun);
    }

    @Override
    public Outcome revoke(Grant grant, boolean dryRun) {
        return change(Action.REVOKE, grant, dryRun);
    }

    private Outcome change(Action action, Grant grant, boolean dryRun) {
        String team = grant.target();
        String login = grant.person().value();
        String where = organization + "/" + team;
        if (!SLUG.matcher(team).matches()) {
            return Outcome.failed(action, "'" + team + "' is not a GitHub team slug", "");
        }
        boolean apply = action == Action.APPLY;
        try {
            boolean member = teams.isMember(organization, team, login);
            if (member == apply) {
                return Outcome.noOp(action, login + (apply ? " is already" : " is not") + " a member of " + where, "");
            }
            if (dryRun) {
                return Outcome.dryRun(
                        action,
                        "would " + (apply ? "add " + login + " to " : "remove " + login + " from ") + where,
                        "");
            }
            if (apply) {
                teams.add(organization, team, login);
                return Outcome.done(action, "added " + login + " to " + where, "");
            }
            teams.remove(organization, team, login);
            return Outcome.done(action, "removed " + login + " from " + where, "");
        } catch (RuntimeException e) {
            return Outcome.failed(action, action.wire() + " on " + where + " failed: " + e.getMessage(), "");
        }
    }

    @Override
    public Presence verify(Login person, String target) {
        if (!SLUG.matcher(target).matches()) {
            return Presence.UNKNOWN;
        }
        try {
            return teams.isMember(organization, target, person.value()) ? Presence.PRESENT : Presence.ABSENT;
        } catch (RuntimeException e) {
            return Presence.UNKNOWN;
        }
    }
}
