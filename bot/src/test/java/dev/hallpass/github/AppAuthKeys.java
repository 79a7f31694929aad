package dev.hallpass.github;

import java.security.PublicKey;

/** Shares the test RSA key pair with tests in other packages. */
public final class AppAuthKeys {
    private AppAuthKeys() {}

    public static PublicKey publicKey() {
        return StandInWorld.keyPair().getPublic();
    }

    public static java.security.PrivateKey privateKey() {
        return StandInWorld.keyPair().getPrivate();
    }
}
