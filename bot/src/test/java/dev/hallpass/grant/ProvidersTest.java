package dev.hallpass.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.DirectoryTree;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static Path template() {
        return Path.of(System.getProperty("hallpass.root", "..")).resolve("access-repo-template");
    }

    private static final Map<String, String> TEMPLATE_ENV = Map.of(
            "HALLPASS_PG_STAGING_USER", "u",
            "HALLPASS_PG_STAGING_PASSWORD", "p",
            "HALLPASS_PG_PROD_EU_USER", "u",
            "HALLPASS_PG_PROD_EU_PASSWORD", "p",
            "HALLPASS_PG_PROD_US_USER", "u",
            "HALLPASS_PG_PROD_US_PASSWORD", "p");

    @Test
    void fromSettings_whenTemplateRepository_buildsItsProviders() {
        AccessRepo repo = new AccessRepoLoader().loadConfig(new DirectoryTree(template()));
        assertTrue(repo.isClean(), repo.problems().toString());
        Providers p = Providers.fromSettings(
                repo.settings().orElseThrow(), TEMPLATE_ENV, template(), new InMemoryTeamMembership());
        assertEquals(5, p.names().size());
    }

    /** The template repository copied to {@code dir}, with its first postgres provider given {@code extra}. */
    private static AccessRepo templateWith(Path dir, String extra) throws IOException {
        try (Stream<Path> files = Files.walk(template())) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(template().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path yaml = dir.resolve("hallpass.yaml");
        Files.writeString(
                yaml,
                Files.readString(yaml).replaceFirst("terminate_sessions: true", "terminate_sessions: true" + extra));
        return new AccessRepoLoader().loadConfig(new DirectoryTree(dir));
    }

    @Test
    void fromSettings_whenPostgresOptionsSet_parserAcceptsAndProviderUsesThem(@TempDir Path dir) throws IOException {
        AccessRepo repo = templateWith(dir, "\n    native_expiry: valid_until\n    login_template: \"hp_{login}\"");
        assertTrue(repo.isClean(), repo.problems().toString());
        Providers p =
                Providers.fromSettings(repo.settings().orElseThrow(), TEMPLATE_ENV, dir, new InMemoryTeamMembership());
        PostgresProvider staging = (PostgresProvider) p.get(new ProviderName("orders-db-staging"));
        assertEquals("hp_alice_smith", staging.databaseLogin(new Login("alice-smith")));
    }

    @Test
    void loadConfig_whenPostgresOptionsInvalid_reportsProblems(@TempDir Path dir) throws IOException {
        AccessRepo repo = templateWith(dir, "\n    native_expiry: forever\n    login_template: \"Admin\"");
        List<String> codes = repo.problems().stream().map(Object::toString).toList();
        assertTrue(
                codes.stream().anyMatch(c -> c.contains("settings.provider.native_expiry.invalid")), codes.toString());
        assertTrue(
                codes.stream().anyMatch(c -> c.contains("settings.provider.login_template.invalid")), codes.toString());
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
