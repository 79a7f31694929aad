package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real shell scripts written to a temporary directory. */
class CommandProviderTest {
    private static final ProviderName NAME = new ProviderName("cloud-iam");

    /** Applies by creating a marker file, revokes by removing it, verifies by looking; records what it got. */
    private static final String GRANT_SCRIPT = String.join(
            "\n",
            "#!/bin/sh",
            "set -eu",
            "state=\"$STATE_DIR/$HALLPASS_PERSON.$(echo \"$HALLPASS_TARGET\" | tr / _)\"",
            "cat > \"$STATE_DIR/stdin.json\"",
            "env | sort > \"$STATE_DIR/env\"",
            "case \"$HALLPASS_ACTION\" in",
            "  apply) touch \"$state\"; echo \"bound $HALLPASS_TARGET to $HALLPASS_PERSON\" ;;",
            "  revoke) rm -f \"$state\"; echo unbound ;;",
            "  verify) if [ -e \"$state\" ]; then echo present; else echo absent; fi ;;",
            "  *) echo \"unknown action $HALLPASS_ACTION\" >&2; exit 2 ;;",
            "esac",
            "");

    @TempDir
    Path dir;

    private Path state;

    @BeforeEach
    void setUp() throws IOException {
        state = Files.createDirectory(dir.resolve("state"));
        Files.createDirectory(dir.resolve("scripts"));
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve("scripts").resolve(name);
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private CommandProvider provider(String program, Duration timeout) {
        return new CommandProvider(
                NAME,
                new CommandProvider.Config(
                        List.of(program),
                        timeout,
                        dir,
                        Map.of("STATE_DIR", state.toString()),
                        Map.of("PATH", System.getenv("PATH"))));
    }

    private static Grant cloudGrant() {
        return grant("req-cloud", "alice", "cloud-iam", "roles/prod-break-glass", 0, 60);
    }

    @Test
    void applyVerifyRevoke_whenScriptSucceeds_tracksPresence() throws Exception {
        script("grant.sh", GRANT_SCRIPT);
        CommandProvider p = provider("./scripts/grant.sh", Duration.ofSeconds(30));
        Grant g = cloudGrant();

        assertEquals(Presence.ABSENT, p.verify(g));
        Outcome applied = p.apply(g, false);
        assertTrue(applied.ok(), applied.summary() + applied.output());
        assertTrue(applied.output().contains("bound roles/prod-break-glass to alice"), applied.output());
        assertEquals(Presence.PRESENT, p.verify(g));
        assertEquals(Presence.PRESENT, p.verify(new Login("alice"), "roles/prod-break-glass"));

        assertTrue(p.revoke(g, false).ok());
        assertEquals(Presence.ABSENT, p.verify(g));
    }

    @Test
    void apply_whenRun_passesGrantAsJsonAndEnvironmentOnly() throws Exception {
        script("grant.sh", GRANT_SCRIPT);
        Grant g = cloudGrant();
        assertTrue(provider("./scripts/grant.sh", Duration.ofSeconds(30))
                .apply(g, false)
                .ok());

        JsonNode json = new ObjectMapper().readTree(Files.readString(state.resolve("stdin.json")));
        assertEquals("req-cloud", json.get("request_id").asText());
        assertEquals("alice", json.get("person").asText());
        assertEquals("roles/prod-break-glass", json.get("target").asText());
        assertEquals(g.expiresAt().toString(), json.get("expires_at").asText());
        assertEquals(42, json.get("pull_request").asInt());

        List<String> env = Files.readAllLines(state.resolve("env"));
        assertTrue(env.contains("HALLPASS_ACTION=apply"), env.toString());
        assertTrue(env.contains("HALLPASS_REQUEST_ID=req-cloud"));
        assertTrue(env.contains("HALLPASS_PERSON=alice"));
        assertTrue(env.contains("HALLPASS_ROLE=db-admin"));
        assertTrue(env.contains("HALLPASS_ENVIRONMENT=prod-eu"));
        assertTrue(env.contains("HALLPASS_TARGET=roles/prod-break-glass"));
        assertTrue(env.contains("HALLPASS_EXPIRES_AT=" + g.expiresAt()));
        assertTrue(env.contains("STATE_DIR=" + state));
        // Hallpass's own environment (and its secrets) is not inherited beyond what is passed by name.
        assertFalse(env.stream().anyMatch(l -> l.startsWith("HOME=") || l.startsWith("JAVA_HOME=")), env.toString());
    }

    @Test
    void apply_whenScriptFails_reportsStatusAndStderr() throws Exception {
        script("fail.sh", "#!/bin/sh\necho 'starting'\necho 'quota exceeded' >&2\nexit 3\n");
        Outcome o = provider("./scripts/fail.sh", Duration.ofSeconds(30)).apply(cloudGrant(), false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("status 3"), o.summary());
        assertTrue(o.output().contains("stdout:\nstarting"), o.output());
        assertTrue(o.output().contains("stderr:\nquota exceeded"), o.output());
    }

    @Test
    void apply_whenScriptHangs_killsTheProcessTreeAtTheTimeout() throws Exception {
        script("hang.sh", "#!/bin/sh\necho waiting\nsleep 300 &\necho $! > \"$STATE_DIR/child.pid\"\nwait\n");
        Outcome o = provider("./scripts/hang.sh", Duration.ofMillis(700)).apply(cloudGrant(), false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("timed out"), o.summary());
        assertTrue(o.output().contains("waiting"), o.output());
        long child = Long.parseLong(Files.readString(state.resolve("child.pid")).strip());
        assertFalse(running(child), "the hanging script's child " + child + " survived");
    }

    @Test
    void apply_whenOutputIsHuge_keepsABoundedPart() throws Exception {
        script("chatty.sh", "#!/bin/sh\nhead -c 300000 /dev/zero | tr '\\0' 'a'\n");
        Outcome o = provider("./scripts/chatty.sh", Duration.ofSeconds(30)).apply(cloudGrant(), false);
        assertTrue(o.ok());
        assertTrue(
                o.output().length() < CommandProvider.MAX_OUTPUT_BYTES + 200,
                "" + o.output().length());
        assertTrue(o.output().contains("more bytes not kept"));
    }

    @Test
    void verify_whenOutputIsNeitherPresentNorAbsent_isUnknown() throws Exception {
        script("vague.sh", "#!/bin/sh\necho maybe\n");
        assertEquals(
                Presence.UNKNOWN,
                provider("./scripts/vague.sh", Duration.ofSeconds(30)).verify(cloudGrant()));
        script("broken.sh", "#!/bin/sh\necho present\nexit 1\n");
        assertEquals(
                Presence.UNKNOWN,
                provider("./scripts/broken.sh", Duration.ofSeconds(30)).verify(cloudGrant()));
    }

    @Test
    void apply_whenProgramMissing_failsWithoutThrowing() {
        Outcome o = provider("./scripts/nope.sh", Duration.ofSeconds(30)).apply(cloudGrant(), false);
        assertFalse(o.ok());
        assertTrue(o.summary().contains("could not start"), o.summary());
    }

    @Test
    void apply_whenDryRun_doesNotRunTheCommand() throws Exception {
        script("grant.sh", GRANT_SCRIPT);
        CommandProvider p = provider("./scripts/grant.sh", Duration.ofSeconds(30));
        Outcome o = p.apply(cloudGrant(), true);
        assertTrue(o.ok());
        assertTrue(o.dryRun());
        assertFalse(Files.exists(state.resolve("stdin.json")));
        assertEquals(Presence.ABSENT, p.verify(cloudGrant()));
    }

    /** Alive and not a zombie: a killed orphan may linger unreaped in a container without an init. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s;
        try {
            s = Files.readString(stat);
        } catch (IOException e) {
            return false;
        }
        char st = s.charAt(s.lastIndexOf(')') + 2);
        return st != 'Z' && st != 'X';
    }
}
