package dev.hallpass.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "token ghs_16C7e42F292c6912E7710c838347Ae178B4a|ghs_16C7e42F292c6912E7710c838347Ae178B4a",
                "pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv|github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
                "classic ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789|ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
                "Authorization: Bearer abc.def.ghi-very-secret-value|abc.def.ghi-very-secret-value",
                "jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.c2lnbmF0dXJlLWJ5dGVz|eyJpc3MiOiIxMjM0NSJ9",
                "jdbc:postgresql://admin:hunter2pass@db:5432/x|hunter2pass",
                "url https://x-access-token:s3cr3tT0ken@github.com/acme/access.git|s3cr3tT0ken",
                "password=correct-horse-battery|correct-horse-battery",
                "client_secret: 0123456789abcdef|0123456789abcdef",
            })
    void redact_whenTextCarriesASecret_removesIt(String text, String secret) {
        String out = Redactor.redact(text);
        assertFalse(out.contains(secret), out);
        assertTrue(out.contains(Redactor.MASK), out);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "acme/access#42 at 1a2b3c4: merge (emergency.allowed) in 3 ms",
                "revoked db-admin in prod-eu for alice after 0.25 ms",
                "delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958 pull_request.opened on acme/access",
                "",
            })
    void redact_whenTextHasNoSecret_leavesItAlone(String text) {
        assertEquals(text, Redactor.redact(text));
    }

    @org.junit.jupiter.api.Test
    void redact_whenAPrivateKeyIsLogged_removesAllOfIt() {
        String pem = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY----- done";
        String out = Redactor.redact(pem);
        assertFalse(out.contains("MIIEpAIBAAKCAQEA"), out);
        assertTrue(out.endsWith(" done"), out);
    }
}
