package dev.hallpass.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.testing.MutableClock;
import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hallpass action} run as a GitHub Actions runner runs it: the runner's variables, an event file built from
 * GitHub's own example payloads, output and summary files, a checkout of the access repository in the workspace,
 * and the GitHub stand-in as the API. Providers are a script keeping "person target" lines in a file.
 */
class ActionRunnerTest {
    /** Tuesday 3 November 2026, 10:00 UTC: alice is on sre-primary. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-03T10:00:00Z"));

    private static final RepoName REPO = new RepoName("acme", "access");
    private static final String BOT = "hallpass-ci";
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
    Path tmp;

    private GitHubStandIn hub;
    private StandInRepository repo;
    private String token;
    private Path targets;
    private Path state;

    /** What one step printed and wrote, as the runner would collect it. */
    record Step(int exitCode, String stdout, String stderr, Map<String, String> outputs, String summary) {
        List<String> errors() {
            return stdout.lines().filter(l -> l.startsWith("::error")).toList();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        Path template = tmp.resolve("template");
        TemplateRepo.copyTo(template);
        Path script = tmp.resolve("fake-target.sh");
        Files.writeString(script, SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        targets = tmp.resolve("targets-orders-db-prod-eu");
        state = tmp.resolve("state/applied.json");
        StringBuilder providers = new StringBuilder("providers:\n");
        for (String p :
                List.of("orders-db-staging", "orders-db-prod-eu", "orders-db-prod-us", "github-teams", "cloud-iam")) {
            providers
                    .append("  ")
                    .append(p)
                    .append(": {type: command, command: [\"")
                    .append(script)
                    .append("\"], env: {TARGETS: \"")
                    .append(targets.resolveSibling("targets-" + p))
                    .append("\"}}\n");
        }
        String settings = Files.readString(template.resolve("hallpass.yaml"));
        Files.writeString(
                template.resolve("hallpass.yaml"), settings.substring(0, settings.indexOf("providers:")) + providers);

        hub = new GitHubStandIn(clock).start();
        for (String login : List.of("alice", "bob", "carol", "dave", "erin", BOT)) {
            hub.createUser(login);
            hub.addOrgMember(REPO.owner(), login);
        }
        hub.allowChecksFromTokens(true);
        token = hub.issueToken(BOT);
        repo = hub.createRepository(REPO, template);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static String request(String requester, String env, String duration, boolean emergency) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + requester + "\nrole: db-admin\n"
                + "environment: " + env + "\nduration: " + duration + "\nreason: \"INC-4211: blocking queries\"\n"
                + (emergency ? "emergency: true\nincident: INC-4211\n" : "");
    }

    private int openRequest(String login, String id, String yaml) {
        repo.pushBranch("request/" + id, "main", Map.of("requests/" + id + ".yaml", yaml), login, "Request " + id);
        return repo.openPullRequest(login, "request/" + id, "main", "Access: " + id, "Requesting access.");
    }

    /** GitHub's example payload for the event, pointed at the stand-in's repository and pull request. */
    private Path event(String event, String action, int number) throws IOException {
        String shared = System.getProperty("hallpass.shared");
        Path example = shared == null
                ? null
                : Path.of(shared, "github-reference", "webhook-payloads", event, action + ".json");
        Assumptions.assumeTrue(example != null && Files.exists(example), "GitHub's example payloads not available");
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(example.toFile());
        ObjectNode repository = (ObjectNode) doc.get("repository");
        repository.put("full_name", REPO.toString()).put("name", REPO.name()).put("default_branch", "main");
        ((ObjectNode) repository.get("owner")).put("login", REPO.owner());
        if (doc.has("number")) {
            doc.put("number", number);
        }
        if (doc.has("pull_request")) {
            ObjectNode pr = (ObjectNode) doc.get("pull_request");
            pr.put("number", number);
            ((ObjectNode) pr.get("base")).put("ref", "main");
        }
        if (event.equals("push")) {
            doc.put("ref", "refs/heads/main");
        }
        Path file = Files.createTempFile(tmp, event + "-", ".json");
        json.writeValue(file.toFile(), doc);
        return file;
    }

    /** Runs one step with the variables a runner sets, in a fresh workspace checked out at main. */
    private Step step(String eventName, Path eventFile, String mode) throws Exception {
        Path workspace = Files.createTempDirectory(tmp, "workspace-");
        checkout(repo.git(), "main", workspace);
        Path output = Files.createTempFile(tmp, "output-", "");
        Path summary = Files.createTempFile(tmp, "summary-", "");
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_EVENT_NAME", eventName);
        if (eventFile != null) {
            env.put("GITHUB_EVENT_PATH", eventFile.toString());
        }
        env.put("GITHUB_REPOSITORY", REPO.toString());
        env.put("GITHUB_API_URL", hub.baseUrl());
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("GITHUB_OUTPUT", output.toString());
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("INPUT_GITHUB-TOKEN", token);
        env.put("HALLPASS_BOT_LOGINS", BOT);
        env.put("HALLPASS_STATE", state.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ActionCommand.run(env, clock, new PrintWriter(out), new PrintWriter(err), "--mode", mode);
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                outputs.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Step(code, out.toString(), err.toString(), outputs, Files.readString(summary));
    }

    /**
     * The stand-in's repository lives in memory and speaks no git protocol, so the checkout copies every object
     * reachable from the branch into a new repository on disk and resets its work tree to the tip.
     */
    static void checkout(Repository from, String branch, Path dir) throws Exception {
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
            Repository to = git.getRepository();
            ObjectId tip = from.resolve("refs/heads/" + branch);
            try (ObjectWalk walk = new ObjectWalk(from);
                    ObjectInserter ins = to.newObjectInserter()) {
                walk.markStart(walk.parseCommit(tip));
                RevCommit c;
                while ((c = walk.next()) != null) {
                    ins.insert(c.getType(), from.open(c).getBytes());
                }
                RevObject o;
                while ((o = walk.nextObject()) != null) {
                    ins.insert(o.getType(), from.open(o).getBytes());
                }
                ins.flush();
            }
            RefUpdate u = to.updateRef("refs/heads/" + branch);
            u.setNewObjectId(tip);
            u.forceUpdate();
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(tip.name()).call();
        }
    }

    /** What the prod-eu database holds; each provider keeps its own file, as each target is its own system. */
    private List<String> targets() throws IOException {
        return Files.exists(targets) ? Files.readAllLines(targets) : List.of();
    }

    /** An emergency by the on-call alice, merged by the check step. */
    private int mergedEmergency() throws Exception {
        int n = openRequest("alice", "inc-4211-alice", request("alice", "prod-eu", "2h", true));
        Step check = step("pull_request", event("pull_request", "opened", n), "check");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(repo.pullRequest(n).merged(), "merged: " + check.summary());
        return n;
    }

    @Test
    void check_whenOnCallEmergency_mergesPublishesCheckAndWritesOutputs() throws Exception {
        int n = openRequest("alice", "inc-4211-alice", request("alice", "prod-eu", "2h", true));
        String head = repo.pullRequest(n).headSha();

        Step check = step("pull_request", event("pull_request", "opened", n), "check");

        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(repo.pullRequest(n).merged());
        assertEquals("merge", check.outputs().get("decision"));
        assertEquals("true", check.outputs().get("allow"));
        assertEquals("true", check.outputs().get("merged"));
        assertEquals("emergency", check.outputs().get("kind"));
        assertTrue(
                check.outputs().get("digest").matches("sha256:[0-9a-f]{64}"),
                check.outputs().toString());
        assertTrue(check.summary().contains("| #" + n + " | emergency | merge | yes |"), check.summary());
        assertEquals(List.of(), check.errors());
        assertEquals("success", repo.checkRuns(head).get(0).conclusion());
        assertEquals(
                1, repo.comments(n).stream().filter(c -> c.author().equals(BOT)).count(), "sticky comment");
        assertTrue(repo.pullRequest(n).labels().contains("hallpass:emergency"));
    }

    @Test
    void check_whenExtensionMerges_countsItsExpiryFromTheOriginalStart() throws Exception {
        mergedEmergency(); // started at 10:00
        clock.advance(Duration.ofMinutes(30));
        repo.pushBranch(
                "request/extend",
                "main",
                Map.of("requests/inc-4211-alice.yaml", request("alice", "prod-eu", "3h", true)),
                "alice",
                "One more hour");
        int n = repo.openPullRequest("alice", "request/extend", "main", "Extend", "");

        Step check = step("pull_request", event("pull_request", "opened", n), "check");

        assertEquals("extension", check.outputs().get("kind"), check.summary());
        Assumptions.assumeTrue(repo.pullRequest(n).merged(), "the policy does not merge this extension by itself");
        String message =
                repo.git().parseCommit(repo.git().resolve("refs/heads/main")).getFullMessage();
        assertTrue(message.contains("Hallpass-Expires-At: 2026-11-03T13:00:00Z"), message);
    }

    @Test
    void check_whenRequestBroken_annotatesFileAndLineAndExits1() throws Exception {
        int n = openRequest(
                "alice",
                "broken",
                "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: alice\nrole: db-admin\nduration: forever\n");

        Step check = step("pull_request", event("pull_request", "opened", n), "check");

        assertEquals(1, check.exitCode(), check.stdout() + check.stderr());
        assertFalse(repo.pullRequest(n).merged());
        assertEquals("false", check.outputs().get("merged"));
        assertFalse(check.errors().isEmpty(), check.stdout());
        assertTrue(
                check.errors().stream()
                        .anyMatch(l ->
                                l.matches("::error file=requests/broken\\.yaml,line=\\d+,col=\\d+,title=[^:]+::.+")),
                check.errors().toString());
        assertEquals(
                "failure", repo.checkRuns(repo.pullRequest(n).headSha()).get(0).conclusion());
    }

    @Test
    void check_whenReviewWaitsForApprovals_exits3() throws Exception {
        int n = openRequest("dave", "dave-admin-us", request("dave", "prod-us", "1h", false));

        Step check = step("pull_request_review", event("pull_request_review", "submitted", n), "check");

        assertEquals(3, check.exitCode(), check.stdout() + check.stderr());
        assertEquals("false", check.outputs().get("merged"));
        assertFalse(repo.pullRequest(n).merged());
    }

    @Test
    void apply_whenEmergencyMerged_grantsItOnce() throws Exception {
        mergedEmergency();

        Step apply = step("push", event("push", "push", 0), "apply");

        assertEquals(0, apply.exitCode(), apply.stdout() + apply.stderr());
        assertEquals("1", apply.outputs().get("applied"));
        assertEquals("0", apply.outputs().get("revoked"));
        assertEquals(1, targets().size(), targets().toString());
        assertTrue(targets().get(0).startsWith("alice "), targets().toString());
        assertTrue(apply.summary().contains("| apply | inc-4211-alice |"), apply.summary());

        Step again = step("push", event("push", "push", 0), "apply");
        assertEquals("0", again.outputs().get("applied"));
        assertTrue(again.summary().contains("Targets already match git."), again.summary());
    }

    @Test
    void apply_whenPushIsNotToTheDefaultBranch_grantsNothing() throws Exception {
        mergedEmergency();
        Path push = event("push", "push", 0);
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(push.toFile());
        json.writeValue(push.toFile(), doc.put("ref", "refs/heads/request/other"));

        Step apply = step("push", push, "apply");

        assertEquals(0, apply.exitCode(), apply.stderr());
        assertEquals("0", apply.outputs().get("applied"));
        assertEquals(List.of(), targets());
        assertTrue(apply.summary().contains("not the default branch"), apply.summary());
    }

    @Test
    void expire_whenGrantDue_revokesAndMergesRevertPullRequest() throws Exception {
        mergedEmergency();
        assertEquals(0, step("push", event("push", "push", 0), "apply").exitCode());
        clock.advance(Duration.ofHours(3));

        Step expire = step("schedule", null, "expire");

        assertEquals(0, expire.exitCode(), expire.stdout() + expire.stderr());
        assertEquals("1", expire.outputs().get("revoked"));
        assertEquals("1", expire.outputs().get("reverted"));
        assertEquals(List.of(), targets());
        assertTrue(repo.fileAt("main", "requests/inc-4211-alice.yaml").isEmpty(), "the revert is merged");
        assertTrue(expire.summary().contains("| inc-4211-alice | #2 | yes |"), expire.summary());
        StandInRepository.PullView revert = repo.pullRequest(2);
        assertEquals(BOT, revert.author(), "the revert is opened with the action's token");
        assertTrue(revert.merged());
    }

    @Test
    void reconcile_whenAccessHeldWithoutGrant_reportsDriftAndExits1() throws Exception {
        mergedEmergency();
        assertEquals(0, step("push", event("push", "push", 0), "apply").exitCode());
        Step clean = step("workflow_dispatch", null, "reconcile");
        assertEquals(0, clean.exitCode(), clean.summary() + clean.stderr());
        assertEquals("0", clean.outputs().get("drift"));

        Files.writeString(targets, Files.readString(targets) + "bob orders_admin\n");
        Step drift = step("workflow_dispatch", null, "reconcile");

        assertEquals(1, drift.exitCode(), drift.stdout() + drift.stderr());
        assertTrue(drift.summary().contains("out_of_band"), drift.summary());
        assertTrue(drift.stdout().contains("::warning title=hallpass drift out_of_band::"), drift.stdout());
    }

    @Test
    void check_whenEventHasNoPullRequest_isNotHallpasssToJudge() throws Exception {
        Step s = step("push", event("push", "push", 0), "check");
        assertEquals(0, s.exitCode(), s.stderr());
        assertEquals("none", s.outputs().get("decision"));
    }

    @Test
    void check_whenNoToken_failsWithUsageExitAndSaysWhyInTheSummary() throws Exception {
        int n = openRequest("alice", "no-token", request("alice", "prod-eu", "2h", true));
        Path summary = Files.createTempFile(tmp, "summary-", "");
        Map<String, String> env = Map.of(
                "GITHUB_EVENT_NAME", "pull_request",
                "GITHUB_EVENT_PATH", event("pull_request", "opened", n).toString(),
                "GITHUB_REPOSITORY", REPO.toString(),
                "GITHUB_API_URL", hub.baseUrl(),
                "GITHUB_STEP_SUMMARY", summary.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = ActionCommand.run(env, clock, new PrintWriter(out), new PrintWriter(err), "--mode", "check");

        assertEquals(2, code, err.toString());
        assertTrue(out.toString().startsWith("::error title=hallpass check::no GitHub token"), out.toString());
        assertTrue(Files.readString(summary).contains("Hallpass check failed"), Files.readString(summary));
        assertFalse(repo.pullRequest(n).merged());
    }

    @Test
    void property_whenValueHasSeparators_escapesThemAsGitHubDoes() {
        assertEquals("a%3Ab%2Cc%25d%0Ae%0D", ActionCommand.property("a:b,c%d\ne\r"));
        assertEquals("a:b,c%25d%0A", ActionCommand.data("a:b,c%d\n"));
    }
}
