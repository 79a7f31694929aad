package dev.hallpass.github;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * How the gateway authenticates: a plain token (PAT, or a token handed over by someone else), or as a GitHub App
 * installation, where the gateway signs JWTs and swaps them for hour-long installation tokens, refreshed before they
 * expire.
 */
public sealed interface GitHubAuth permits GitHubAuth.Token, GitHubAuth.App {

    static GitHubAuth token(String token) {
        return new Token(token);
    }

    /** App auth from GitHub's downloaded PEM (PKCS#1) or a PKCS#8 PEM, for the installation on {@code repo}. */
    static GitHubAuth app(String appId, String privateKeyPem, RepoName installedOn) {
        return new App(appId, AppJwt.readPrivateKey(privateKeyPem), installedOn);
    }

    record Token(String token) implements GitHubAuth {
        public Token {
            Objects.requireNonNull(token, "token");
            if (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("token must be non-blank printable ASCII");
            }
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /** {@code installedOn} picks the installation: the one that can see this repository. */
    record App(String appId, PrivateKey privateKey, RepoName installedOn) implements GitHubAuth {
        public App {
            Objects.requireNonNull(appId, "appId");
            if (!appId.matches("[0-9]{1,20}|Iv[0-9A-Za-z.]{1,40}")) {
                throw new IllegalArgumentException("app id must be numeric (or a client id)");
            }
            Objects.requireNonNull(privateKey, "privateKey");
            if (!"RSA".equals(privateKey.getAlgorithm())) {
                throw new IllegalArgumentException("GitHub Apps sign with RSA keys");
            }
            Objects.requireNonNull(installedOn, "installedOn");
        }

        @Override
        public String toString() {
            // Never print key material.
            return "App[appId=" + appId + ", installedOn=" + installedOn + "]";
        }
    }
}
