package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply}, {@code expire} and {@code reconcile} on a local checkout whose providers are a small script
 * keeping "person target" lines in a file, so the commands run end to end without a database.
 */
class LifecycleCommandsTest {
    private static final String PROVIDERS = "providers:\n"
            + "  orders-db-staging: {type: command, command: [\"./scripts/fake-target.sh\"],"
            + " env: {TARGETS: .targets}}\n"
            + "  orders-db-prod-eu: {type: command, command: [\"./scripts/fake-target.sh\"], env: {TARGETS: .eu}}\n"
            + "  orders-db-prod-us: {type: command, command: [\"./scripts/fake-target.sh\"], env: {TARGETS: .us}}\n"
            + "  github-teams: {type: command, command: [\"./scripts/fake-target.sh\"], env: {TARGETS: .teams}}\n"
            + "  cloud-iam: {type: command, command: [\"./scripts/fake-target.sh\"], env: {TARGETS: .iam}}\n";
    private static final String SCRIPT = "#!/bin/sh\n"
            + "line=\"$HALLPASS_PERSON $HALLPASS_TARGET\"\n"
            + "f=\"$TARGETS\"\n"
            + "touch \"$f\"\n"
            + "case \"$HALLPASS_ACTION\" in\n"
            + "  apply) grep -qx \"$line\" \"$f\" || echo \"$line\" >> \"$f\" ;;\n"
            + "  revoke) grep -vx \"$line\" \"$f\" > \"$f.tmp\"; mv \"$f.tmp\" \"$f\" ;;\n"
            + "  verify) if grep -qx \"$line\" \"$f\"; then echo present; else echo absent; fi ;;\n"
            + "esac\n";

    @TempDir
    Path dir;

    private Git git;
    private Path state;

    @BeforeEach
    void setUp() throws Exception {
        TemplateRepo.copyTo(dir);
        String settings = Files.readString(dir.resolve("hallpass.yaml"));
        Files.writeString(
                dir.resolve("hallpass.yaml"), settings.substring(0, settings.indexOf("providers:")) + PROVIDERS);
        Path script = dir.resolve("scripts/fake-target.sh");
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve(".gitignore"), ".targets*\n.eu*\n.us*\n.teams*\n.iam*\n.hallpass/\n");
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        commitAll("Initial access repository");
        state = dir.resolve(".hallpass/applied.json");
    }

    private void commitAll(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        PersonIdent who = new PersonIdent("Hallpass Test", "test@example.com");
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    /** A request merged the way GitHub merges a pull request: a no-fast-forward merge commit naming it. */
    private void mergeRequest(int number, String id, String yaml) throws Exception {
        git.checkout()
                .setCreateBranch(true)
                .setName("request/" + id + "-" + number)
                .call();
        Files.writeString(dir.resolve("requests/" + id + ".yaml"), yaml);
        commitAll("Request " + id);
        git.checkout().setName("main").call();
        git.merge()
                .include(git.getRepository().resolve("request/" + id + "-" + number))
                .setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setMessage("Merge pull request #" + number + " from acme/request/" + id)
                .call();
    }

    private static String request(String who, String duration, String start) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + who + "\nrole: db-admin\n"
                + "environment: staging\nduration: " + duration + "\nreason: \"Fix the orders backlog\"\n"
                + (start == null ? "" : "start: " + start + "\n");
    }

    private List<String> targets() throws IOException {
        Path f = dir.resolve(".targets");
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    }

    private CliRunner.Result run(String command, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = command;
        args[1] = "--repo";
        args[2] = dir.toString();
        args[3] = "--state=" + state;
        System.arraycopy(more, 0, args, 4, more.length);
        return CliRunner.run(args);
    }

    @Test
    void apply_whenRequestMerged_grantsIt_andDryRunChangesNothing() throws Exception {
        mergeRequest(7, "alice-fix", request("alice", "2h", null));

        CliRunner.Result dry = run("apply", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.out() + dry.err());
        assertTrue(dry.out().contains("[dry run]"), dry.out());
        assertEquals(List.of(), targets(), "a dry run changes nothing");

        CliRunner.Result r = run("apply");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("apply alice-fix"), r.out());
        assertEquals(List.of("alice orders_admin"), targets());

        CliRunner.Result again = run("apply");
        assertTrue(again.out().contains("targets already match git"), again.out());
    }

    @Test
    void expire_whenGrantEnded_revokesAndListsTheFileToRevert() throws Exception {
        mergeRequest(8, "bob-window", request("bob", "1h", null));
        assertEquals(0, run("apply").exitCode());
        assertEquals(List.of("bob orders_admin"), targets());
        // A later merge moves the window into the past: the grant has ended (no sleeping for a real expiry).
        mergeRequest(10, "bob-window", request("bob", "1h", "2026-01-01T00:00:00Z"));

        CliRunner.Result r = run("expire");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("revoke bob-window"), r.out());
        assertTrue(r.out().contains("expired, file still on the default branch: bob-window"), r.out());
        assertEquals(List.of(), targets());
    }

    @Test
    void reconcile_whenAccessDriftedFromGit_reportsInDryRunAndRepairs() throws Exception {
        mergeRequest(9, "dave-debug", request("dave", "4h", null));
        assertEquals(0, run("apply").exitCode());

        // Someone removes dave's access by hand, and gives bob the role out of band.
        Files.writeString(dir.resolve(".targets"), "bob orders_admin\n");

        CliRunner.Result dry = run("reconcile", "--dry-run");
        assertEquals(1, dry.exitCode(), dry.out() + dry.err());
        assertTrue(dry.out().contains("drift missing: dave -> orders-db-staging:orders_admin"), dry.out());
        assertTrue(dry.out().contains("drift out_of_band: bob -> orders-db-staging:orders_admin"), dry.out());
        assertEquals(List.of("bob orders_admin"), targets(), "a dry run repairs nothing");

        CliRunner.Result fix = run("reconcile");
        assertTrue(fix.out().contains("repaired: apply dave"), fix.out());
        assertTrue(targets().contains("dave orders_admin"));
        assertTrue(targets().contains("bob orders_admin"), "out-of-band access is reported, not revoked");
        assertFalse(fix.out().contains("drift missing"), fix.out());
        assertEquals(1, fix.exitCode(), "out-of-band access still needs a person");
    }
}
