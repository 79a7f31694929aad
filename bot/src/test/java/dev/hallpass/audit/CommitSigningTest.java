package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Login;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitSigningTest {
    @TempDir
    Path dir;

    static CommitSigning.SigningKey newKey() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] x509 = kp.getPublic().getEncoded();
        return CommitSigning.SigningKey.fromRaw(
                Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    static CommitSigning.AllowedSigners allow(CommitSigning.SigningKey k) {
        return CommitSigning.AllowedSigners.parse(
                "# Hallpass bot\nhallpass@example.com namespaces=\"git\" " + k.publicKeyLine() + " bot\n");
    }

    @Test
    void verify_whenSignedBySameKey_isValid() throws Exception {
        CommitSigning.SigningKey k = newKey();
        byte[] payload = "tree abc\n\nmessage\n".getBytes(StandardCharsets.UTF_8);

        CommitSigning.Verification v = CommitSigning.verify(k.sign(payload), payload, allow(k));

        assertTrue(v.valid(), v.problem());
        assertEquals("hallpass@example.com", v.signer());
    }

    @Test
    void verify_whenPayloadChangedOrKeyNotAllowed_isInvalid() throws Exception {
        CommitSigning.SigningKey k = newKey();
        byte[] payload = "tree abc\n\nmessage\n".getBytes(StandardCharsets.UTF_8);
        String sig = k.sign(payload);

        CommitSigning.Verification changed =
                CommitSigning.verify(sig, "tree abd\n\nmessage\n".getBytes(StandardCharsets.UTF_8), allow(k));
        CommitSigning.Verification stranger = CommitSigning.verify(sig, payload, allow(newKey()));
        CommitSigning.Verification garbage =
                CommitSigning.verify(CommitSigning.BEGIN + "\nAAAA\n" + CommitSigning.END, payload, allow(k));

        assertFalse(changed.valid());
        assertEquals("signature does not match the commit", changed.problem());
        assertFalse(stranger.valid());
        assertFalse(garbage.valid());
    }

    @Test
    void audit_whenAttestationSignedOrNot_verifierChecksIt() throws Exception {
        CommitSigning.SigningKey k = newKey();
        try (AuditFixture f = new AuditFixture(dir)) {
            AccessRequest alice = AuditFixture.emergency("inc-4211-orders-db", "alice", "db-admin", "prod-eu", "2h");
            Instant merged = AuditFixture.T0.plus(Duration.ofHours(1));
            f.grant(alice, merged, List.of());
            f.git.flush();
            Attestation a = new Attestation(
                    alice.id(), 100, Attestation.Outcome.APPROVE, new Login("bob"), "", merged.plusSeconds(60), false);
            ObjectId signed =
                    Attestations.record(f.repo, "refs/heads/main", a, alice.requester(), merged.plusSeconds(60), k);
            CommitVerifier verifier = CommitSigning.verifier(allow(k), CommitSigning.LOCAL_ACTIONS);

            AuditLog good = AuditLog.read(f.repo, "main", new AuditLog.Options(null, merged.plusSeconds(120), null));
            AuditLog checked =
                    AuditLog.read(f.repo, "main", new AuditLog.Options(null, merged.plusSeconds(120), verifier));
            AuditLog wrongKey = AuditLog.read(
                    f.repo,
                    "main",
                    new AuditLog.Options(
                            null,
                            merged.plusSeconds(120),
                            CommitSigning.verifier(allow(newKey()), CommitSigning.LOCAL_ACTIONS)));

            assertEquals(List.of(), good.findings());
            assertEquals(List.of(), checked.findings(), checked.findings()::toString);
            assertEquals(
                    List.of(Finding.BAD_SIGNATURE),
                    wrongKey.findings().stream().map(Finding::code).toList());
            try (RevWalk w = new RevWalk(f.repo)) {
                RevCommit c = w.parseCommit(signed);
                Optional<CommitSigning.Signed> s = CommitSigning.split(c.getRawBuffer());
                assertTrue(s.isPresent());
                assertTrue(s.get().signature().startsWith(CommitSigning.BEGIN));
            }

            // An unsigned attestation on top, when signing is required.
            f.git.startFrom(signed);
            f.attest(alice, 100, "carol", Attestation.Outcome.APPROVE, merged.plusSeconds(180), false);
            AuditLog unsigned =
                    AuditLog.read(f.repo, "main", new AuditLog.Options(null, merged.plusSeconds(240), verifier));
            assertEquals(
                    List.of(Finding.UNSIGNED),
                    unsigned.findings().stream().map(Finding::code).toList());
        }
    }

    @Test
    void parseOpenSsh_whenKeyFileWritten_readsTheSameKey() throws Exception {
        // An unencrypted OpenSSH key file built by hand, byte for byte as ssh-keygen writes it.
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] x509 = kp.getPublic().getEncoded();
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        java.io.ByteArrayOutputStream priv = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream p = new java.io.DataOutputStream(priv);
        p.writeInt(7);
        p.writeInt(7);
        str(p, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        str(p, pub);
        byte[] secret = new byte[64];
        System.arraycopy(seed, 0, secret, 0, 32);
        System.arraycopy(pub, 0, secret, 32, 32);
        str(p, secret);
        str(p, "bot".getBytes(StandardCharsets.US_ASCII));
        for (int i = 1; priv.size() % 8 != 0; i++) {
            p.write(i);
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream o = new java.io.DataOutputStream(all);
        o.write("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        str(o, "none".getBytes(StandardCharsets.US_ASCII));
        str(o, "none".getBytes(StandardCharsets.US_ASCII));
        str(o, new byte[0]);
        o.writeInt(1);
        str(o, CommitSigning.publicBlob(pub));
        str(o, priv.toByteArray());
        String file = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(all.toByteArray())
                + "\n-----END OPENSSH PRIVATE KEY-----\n";

        CommitSigning.SigningKey k = CommitSigning.parseOpenSsh(file);
        CommitSigning.SigningKey same = CommitSigning.SigningKey.fromRaw(seed, pub);
        byte[] payload = "x".getBytes(StandardCharsets.UTF_8);

        assertEquals(same.publicKeyLine(), k.publicKeyLine());
        assertTrue(CommitSigning.verify(k.sign(payload), payload, allow(same)).valid());
    }

    private static void str(java.io.DataOutputStream o, byte[] b) throws java.io.IOException {
        o.writeInt(b.length);
        o.write(b);
    }
}
