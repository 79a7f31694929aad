package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.ProviderName;
import java.util.List;
import org.junit.jupiter.api.Test;

class GitHubTeamProviderTest {
    private final InMemoryTeamMembership teams = new InMemoryTeamMembership();
    private final GitHubTeamProvider provider = new GitHubTeamProvider(new ProviderName("github-teams"), "acme", teams);
    private final Grant g = grant("req-deploy", "alice", "github-teams", "prod-deployers", 0, 60);

    @Test
    void applyAndRevoke_whenCalledTwice_changeMembershipOnce() {
        assertTrue(provider.apply(g, false).ok());
        assertTrue(provider.apply(g, false).noOp());
        assertEquals(Presence.PRESENT, provider.verify(g));
        assertTrue(provider.revoke(g, false).ok());
        assertTrue(provider.revoke(g, false).noOp());
        assertEquals(Presence.ABSENT, provider.verify(g));
        assertEquals(List.of("add acme/prod-deployers/alice", "remove acme/prod-deployers/alice"), teams.calls);
    }

    @Test
    void apply_whenDryRun_changesNothing() {
        Outcome o = provider.apply(g, true);
        assertTrue(o.dryRun());
        assertTrue(o.summary().contains("would add alice to acme/prod-deployers"), o.summary());
        assertTrue(teams.calls.isEmpty());
        assertEquals(Presence.ABSENT, provider.verify(g));
    }

    @Test
    void apply_whenGitHubFails_returnsFailureAndVerifyIsUnknown() {
        teams.failuresLeft = 2;
        Outcome o = provider.apply(g, false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("502"), o.summary());
        assertEquals(Presence.UNKNOWN, provider.verify(g));
    }

    @Test
    void apply_whenTargetIsNotATeamSlug_fails() {
        Outcome o = provider.apply(grant("req-bad", "alice", "github-teams", "../admins", 0, 60), false);
        assertFalse(o.ok());
        assertTrue(teams.calls.isEmpty());
    }

    @Test
    void constructor_whenOrganizationInvalid_throws() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new GitHubTeamProvider(new ProviderName("github-teams"), "acme/evil", teams));
    }
}
