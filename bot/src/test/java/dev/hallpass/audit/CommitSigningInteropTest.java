package dev.hallpass.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hallpass.request.Login;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our SSH signatures against OpenSSH and git themselves; skipped where they are not installed. */
class CommitSigningInteropTest {
    @TempDir
    Path dir;

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private int run(Path cwd, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(c)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        return p.exitValue();
    }

    @Test
    void sign_whenCheckedByGitAndSignedByGit_bothVerify() throws Exception {
        assumeTrue(onPath("git") && onPath("ssh-keygen"), "git and ssh-keygen are needed");
        Path key = dir.resolve("key");
        assertEquals(0, run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bot", "-f", key.toString()));
        CommitSigning.SigningKey k = CommitSigning.SigningKey.read(key);
        String pub = Files.readString(dir.resolve("key.pub"), StandardCharsets.US_ASCII)
                .strip();
        assertTrue(pub.startsWith(k.publicKeyLine()), pub);
        Path allowed = dir.resolve("allowed");
        Files.writeString(allowed, "hallpass@example.com " + k.publicKeyLine() + "\n");
        Path repoDir = dir.resolve("repo");
        Files.createDirectories(repoDir);
        try (AuditFixture f = new AuditFixture(repoDir)) {
            Attestation a = new Attestation(
                    new dev.hallpass.request.RequestId("inc-4211-orders-db"),
                    42,
                    Attestation.Outcome.APPROVE,
                    new Login("bob"),
                    "ok",
                    Instant.parse("2026-11-21T10:00:00Z"),
                    false);
            f.git.flush();
            Attestations.record(f.repo, "refs/heads/main", a, new Login("alice"), a.at(), k);

            int ours = run(
                    repoDir,
                    "git",
                    "-c",
                    "gpg.format=ssh",
                    "-c",
                    "gpg.ssh.allowedSignersFile=" + allowed,
                    "verify-commit",
                    "main");
            assertEquals(0, ours, Files.readString(dir.resolve("out.txt")));

            int theirs = run(
                    repoDir,
                    "git",
                    "-c",
                    "user.name=Hallpass",
                    "-c",
                    "user.email=hallpass@example.com",
                    "-c",
                    "gpg.format=ssh",
                    "-c",
                    "user.signingkey=" + key,
                    "commit",
                    "-q",
                    "-S",
                    "--allow-empty",
                    "-m",
                    "signed by git");
            assertEquals(0, theirs, Files.readString(dir.resolve("out.txt")));
            try (RevWalk w = new RevWalk(f.repo)) {
                ObjectId head = f.repo.resolve("refs/heads/main");
                CommitSigning.Signed s =
                        CommitSigning.split(w.parseCommit(head).getRawBuffer()).orElseThrow();
                CommitSigning.Verification v =
                        CommitSigning.verify(s.signature(), s.payload(), CommitSigning.AllowedSigners.read(allowed));
                assertTrue(v.valid(), v.problem());
            }
        }
    }
}
