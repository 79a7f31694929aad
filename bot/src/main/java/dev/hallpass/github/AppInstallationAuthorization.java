package dev.hallpass.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.kohsuke.github.GHApp;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHAppInstallationToken;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnector;

/**
 * Supplies "token ..." for an App installation, minting a new installation token through hub4j when the cached one
 * is within {@link #REFRESH_MARGIN} of expiring, so a long evaluation never runs into a 401 half way.
 */
final class AppInstallationAuthorization implements AuthorizationProvider {
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private final GitHubAuth.App app;
    private final String apiUrl;
    private final GitHubConnector connector;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;
    private long installationId = -1;
    private String botLogin;

    AppInstallationAuthorization(GitHubAuth.App app, String apiUrl, GitHubConnector connector, Clock clock) {
        this.app = Objects.requireNonNull(app, "app");
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized String getEncodedAuthorization() throws IOException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(expiresAt.minus(REFRESH_MARGIN))) {
            refresh(now);
        }
        return "token " + token;
    }

    /** Forget the cached token, e.g. after the server answered 401. */
    synchronized void invalidate() {
        token = null;
    }

    private void refresh(Instant now) throws IOException {
        GitHub asApp = new GitHubBuilder()
                .withEndpoint(apiUrl)
                .withJwtToken(AppJwt.create(app.appId(), app.privateKey(), now))
                .withConnector(connector)
                .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                .build();
        GHApp ghApp = asApp.getApp();
        botLogin = ghApp.getSlug() + "[bot]";
        GHAppInstallation installation = installationId > 0
                ? ghApp.getInstallationById(installationId)
                : ghApp.getInstallationByRepository(
                        app.installedOn().owner(), app.installedOn().name());
        installationId = installation.getId();
        GHAppInstallationToken t = installation.createToken().create();
        token = Objects.requireNonNull(t.getToken(), "installation token");
        expiresAt = t.getExpiresAt() == null
                ? now.plus(Duration.ofHours(1))
                : t.getExpiresAt().toInstant();
    }

    /** The login the app acts as ("slug[bot]"), known after the first token. */
    synchronized String botLogin() throws IOException {
        if (botLogin == null) {
            getEncodedAuthorization();
        }
        return botLogin;
    }

    synchronized Instant expiresAt() {
        return expiresAt;
    }
}
