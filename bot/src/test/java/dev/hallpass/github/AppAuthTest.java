package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.github.standin.LoggedRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppAuthTest {
    private StandInWorld world;

    @BeforeEach
    void setUp() {
        world = new StandInWorld();
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void create_whenSigned_hasRs256HeaderBackdatedIatAndShortExp() throws Exception {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        String jwt = AppJwt.create("123", StandInWorld.keyPair().getPrivate(), now);
        String[] parts = jwt.split("\\.");
        ObjectMapper m = new ObjectMapper();
        JsonNode header = m.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = m.readTree(Base64.getUrlDecoder().decode(parts[1]));

        assertEquals("RS256", header.get("alg").asText());
        assertEquals("123", claims.get("iss").asText());
        assertEquals(now.getEpochSecond() - 60, claims.get("iat").asLong());
        assertTrue(claims.get("exp").asLong() <= now.getEpochSecond() + 600);
        assertTrue(claims.get("exp").asLong() > now.getEpochSecond());
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(StandInWorld.keyPair().getPublic());
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(v.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void readPrivateKey_whenPkcs1OrPkcs8_givesTheSameKey() {
        PrivateKey fromPkcs8 = AppJwt.readPrivateKey(StandInWorld.pkcs8Pem());
        String pkcs1Pem = "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pkcs1Of(StandInWorld.keyPair().getPrivate()))
                + "\n-----END RSA PRIVATE KEY-----\n";
        PrivateKey fromPkcs1 = AppJwt.readPrivateKey(pkcs1Pem);

        assertEquals(
                ((RSAPrivateCrtKey) fromPkcs8).getPrivateExponent(),
                ((RSAPrivateCrtKey) fromPkcs1).getPrivateExponent());
        assertEquals(
                ((RSAPrivateCrtKey) StandInWorld.keyPair().getPrivate()).getModulus(),
                ((RSAPrivateCrtKey) fromPkcs1).getModulus());
    }

    @Test
    void readPrivateKey_whenNotAKey_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> AppJwt.readPrivateKey("hello"));
        assertThrows(
                IllegalArgumentException.class,
                () -> AppJwt.readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }

    @Test
    void appAuth_whenFirstCall_mintsInstallationTokenWithVerifiedJwt() {
        Hub4jGitHubGateway gh = world.appGateway();
        int n = world.requestPr("app1");

        gh.comment(StandInWorld.REPO, n, "hello from the app");

        List<LoggedRequest> log = world.hub.requestLog();
        List<String> paths = log.stream().map(r -> r.method() + " " + r.path()).toList();
        assertEquals(
                List.of(
                        "GET /app",
                        "GET /repos/acme/access/installation",
                        "POST /app/installations/" + world.installationId + "/access_tokens",
                        "POST /repos/acme/access/issues/" + n + "/comments"),
                paths);
        assertTrue(log.stream().allMatch(r -> r.status() / 100 == 2), log.toString());
        assertEquals("app:" + world.appId, log.get(0).principal());
        assertEquals("installation:" + world.installationId, log.get(3).principal());
        assertEquals("hallpass[bot]", world.repo.comments(n).get(0).author());
    }

    @Test
    void appAuth_whenTokenNearsExpiry_refreshesBeforeItLapses() {
        Hub4jGitHubGateway gh = world.appGateway();
        int n = world.requestPr("app2");
        gh.comments(StandInWorld.REPO, n);
        world.clock.advance(Duration.ofMinutes(50));
        gh.comments(StandInWorld.REPO, n);
        long mintsBefore = mints();
        assertEquals(1, mintsBefore, "50 minutes in: token still fresh");

        world.clock.advance(Duration.ofMinutes(6)); // 56 min: inside the 5-minute margin
        gh.comments(StandInWorld.REPO, n);
        assertEquals(2, mints());
        world.clock.advance(Duration.ofHours(3)); // long idle: old token would be 401 now
        assertEquals(0, gh.comments(StandInWorld.REPO, n).size());
        assertEquals(3, mints());
        assertTrue(world.hub.requestLog().stream().noneMatch(r -> r.status() == 401));
    }

    @Test
    void appAuth_whenKeyIsWrong_isUnauthorized() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey other = g.generateKeyPair().getPrivate();
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(
                world.hub.baseUrl(),
                new GitHubAuth.App(String.valueOf(world.appId), other, StandInWorld.REPO),
                world.clock);

        GitHubException e = assertThrows(GitHubException.class, () -> gh.comments(StandInWorld.REPO, 1));
        assertEquals(401, world.hub.requestLog().get(0).status());
        assertEquals(401, e.status(), e.getMessage());
    }

    @Test
    void appAuth_whenAppNotInstalledOnRepo_isNotFound() {
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(
                world.hub.baseUrl(),
                new GitHubAuth.App(
                        String.valueOf(world.appId),
                        StandInWorld.keyPair().getPrivate(),
                        new RepoName("acme", "other")),
                world.clock);
        assertThrows(GitHubException.class, () -> gh.comments(StandInWorld.REPO, 1));
        assertEquals(404, world.hub.requestLog().get(1).status());
    }

    @Test
    void createApp_whenConfiguredLikeProduction_authenticates() {
        var creds = world.hub.createApp("hallpass-demo", "acme");
        world.hub.installApp(creds.appId(), "acme", StandInWorld.REPO);
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(
                world.hub.baseUrl(),
                GitHubAuth.app(String.valueOf(creds.appId()), creds.privateKeyPem(), StandInWorld.REPO),
                world.clock);
        int n = world.requestPr("demo");

        gh.comment(StandInWorld.REPO, n, "hi");

        assertEquals("hallpass-demo[bot]", world.repo.comments(n).get(0).author(), "each app acts as its own bot");
    }

    @Test
    void toString_whenCredentials_hidesKeyMaterial() {
        GitHubAuth a = GitHubAuth.app("42", StandInWorld.pkcs8Pem(), StandInWorld.REPO);
        assertEquals("App[appId=42, installedOn=acme/access]", a.toString());
        assertEquals("Token[***]", GitHubAuth.token("ghp_secret").toString());
    }

    private long mints() {
        return world.hub.requestLog().stream()
                .filter(r -> r.path().endsWith("/access_tokens"))
                .count();
    }

    /** Unwraps PKCS#8 PrivateKeyInfo to the PKCS#1 RSAPrivateKey it carries (the last OCTET STRING). */
    private static byte[] pkcs1Of(PrivateKey key) {
        byte[] der = key.getEncoded();
        // SEQUENCE { INTEGER 0, SEQUENCE {...}, OCTET STRING {pkcs1} }
        int i = skipHeader(der, 0);
        i = skipTlv(der, i); // version
        i = skipTlv(der, i); // algorithm
        int start = skipHeader(der, i);
        int len = length(der, i);
        return Arrays.copyOfRange(der, start, start + len);
    }

    private static int skipHeader(byte[] d, int i) {
        int b = d[i + 1] & 0xff;
        return i + 2 + (b < 0x80 ? 0 : b & 0x7f);
    }

    private static int length(byte[] d, int i) {
        int b = d[i + 1] & 0xff;
        if (b < 0x80) {
            return b;
        }
        return new BigInteger(1, Arrays.copyOfRange(d, i + 2, i + 2 + (b & 0x7f))).intValueExact();
    }

    private static int skipTlv(byte[] d, int i) {
        return skipHeader(d, i) + length(d, i);
    }
}
