package dev.hallpass.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    private static final Path ROOT = Path.of("/srv/access");

    private static Settings settings(Settings.ProviderConfig... providers) {
        Map<ProviderName, Settings.ProviderConfig> m = new LinkedHashMap<>();
        for (Settings.ProviderConfig p : providers) {
            m.put(p.name(), p);
        }
        return new Settings(
                Optional.of("acme"),
                Map.of(
                        new EnvironmentName("prod-eu"),
                        new Settings.Environment(new EnvironmentName("prod-eu"), "EU", true)),
                new Settings.Emergency(Duration.ofHours(4), Duration.ofHours(72), Pattern.compile("INC-[0-9]+"), 3),
                m,
                new Settings.Review(true));
    }

    private static Settings.ProviderConfig postgres(String name) {
        return new Settings.ProviderConfig(
                new ProviderName(name),
                "postgres",
                Map.of(
                        "jdbc_url", "jdbc:postgresql://db.internal:5432/orders",
                        "username_env", "PG_USER",
                        "password_env", "PG_PASSWORD",
                        "terminate_sessions", true));
    }

    private static Settings.ProviderConfig command() {
        return new Settings.ProviderConfig(
                new ProviderName("cloud-iam"),
                "command",
                Map.of(
                        "command", List.of("./scripts/cloud-iam-grant.sh"),
                        "timeout", "5m",
                        "env", Map.of("TF_WORKSPACE", "access-grants")));
    }

    private static Settings.ProviderConfig team() {
        return new Settings.ProviderConfig(new ProviderName("github-teams"), "github-team", Map.of());
    }

    @Test
    void fromSettings_whenEnvironmentComplete_buildsEveryProvider() {
        Providers p = Providers.fromSettings(
                settings(postgres("orders-db"), command(), team()),
                Map.of("PG_USER", "hallpass", "PG_PASSWORD", "s3cret"),
                ROOT,
                new InMemoryTeamMembership());
        assertEquals(
                Set.of(new ProviderName("orders-db"), new ProviderName("cloud-iam"), new ProviderName("github-teams")),
                p.names());
        assertInstanceOf(PostgresProvider.class, p.get(new ProviderName("orders-db")));
        assertInstanceOf(CommandProvider.class, p.get(new ProviderName("cloud-iam")));
        assertInstanceOf(GitHubTeamProvider.class, p.get(new ProviderName("github-teams")));
    }

    @Test
    void fromSettings_whenSecretVariableMissing_namesIt() {
        var e = assertThrows(
                ProviderConfigException.class,
                () -> Providers.fromSettings(
                        settings(postgres("orders-db")), Map.of("PG_USER", "hallpass"), ROOT, null));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).contains("PG_PASSWORD"), e.getMessage());
        assertTrue(e.problems().get(0).contains("password_env"), e.getMessage());
    }

    @Test
    void fromSettings_whenSeveralProblems_reportsThemAll() {
        Settings.ProviderConfig badTimeout = new Settings.ProviderConfig(
                new ProviderName("cloud-iam"), "command", Map.of("command", List.of("./x.sh"), "timeout", "soon"));
        var e = assertThrows(
                ProviderConfigException.class,
                () -> Providers.fromSettings(
                        settings(postgres("orders-db"), badTimeout, team()), Map.of(), ROOT, null));
        // Two missing variables, the bad timeout, and the missing GitHub client.
        assertEquals(4, e.problems().size(), e.problems().toString());
    }

    @Test
    void get_whenProviderUnknown_throwsConfigurationError() {
        Providers p = Providers.of(List.of());
        assertThrows(ProviderConfigException.class, () -> p.get(new ProviderName("nope")));
    }

    @Test
    void dryRun_whenWrapped_neverChanges() {
        InMemoryTeamMembership teams = new InMemoryTeamMembership();
        Providers p =
                Providers.fromSettings(settings(team()), Map.of(), ROOT, teams).dryRun();
        Outcome o = p.get(new ProviderName("github-teams"))
                .apply(TestGrants.grant("req-1", "alice", "github-teams", "prod-deployers", 0, 60), false);
        assertTrue(o.dryRun());
        assertTrue(teams.calls.isEmpty());
    }
}
