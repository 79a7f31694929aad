package dev.hallpass.grant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** GitHub teams in memory, recording calls, and failing the next calls on demand. */
final class InMemoryTeamMembership implements TeamMembership {
    private final Set<String> members = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    int failuresLeft;

    private static String key(String org, String team, String login) {
        return org + "/" + team + "/" + login;
    }

    private void maybeFail() {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("502 Bad Gateway");
        }
    }

    @Override
    public boolean isMember(String organization, String team, String login) {
        maybeFail();
        return members.contains(key(organization, team, login));
    }

    @Override
    public void add(String organization, String team, String login) {
        calls.add("add " + key(organization, team, login));
        members.add(key(organization, team, login));
    }

    @Override
    public void remove(String organization, String team, String login) {
        calls.add("remove " + key(organization, team, login));
        members.remove(key(organization, team, login));
    }
}
