package dev.hallpass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.bot.AuditedMergeMessages;
import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.evaluation.DecisionReport;
import dev.hallpass.evaluation.Evaluation;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.grant.Action;
import dev.hallpass.grant.ExecutionResult;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantLedger;
import dev.hallpass.lifecycle.DriftCheck;
import dev.hallpass.lifecycle.GitHubGrantSource;
import dev.hallpass.lifecycle.GrantLifecycle;
import dev.hallpass.lifecycle.GrantSource;
import dev.hallpass.policy.Decision;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.request.Problem;
import dev.hallpass.request.RequestId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hallpass action}: Hallpass as a GitHub Actions step. Reads the runner's environment ({@code GITHUB_*}) the
 * way GitHub provides it, acts like the webhook server would, and reports through the job summary, step outputs and
 * workflow-command annotations.
 */
@Command(
        name = "action",
        mixinStandardHelpOptions = true,
        description = {
            "Run Hallpass inside a GitHub Actions job (reads GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL,"
                    + " GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; token from HALLPASS_GITHUB_TOKEN,"
                    + " INPUT_GITHUB-TOKEN or GITHUB_TOKEN).",
            "Exit 0: merged, allowed, nothing to judge, or done; 1: denied, cannot decide, a provider failed, a"
                    + " revert did not merge, or drift found; 3: waiting for approvals (check mode); 2: usage or"
                    + " configuration error."
        })
public final class ActionCommand implements Callable<Integer> {
    /** The event-driven jobs the Action runs. */
    enum Mode {
        check,
        apply,
        expire,
        reconcile
    }

    /** Token variables, most explicit first: the composite action passes the input as HALLPASS_GITHUB_TOKEN. */
    static final List<String> TOKEN_VARIABLES =
            List.of("HALLPASS_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN", "GITHUB_TOKEN");

    /** Every step output any mode writes; action/action.yml maps each of them (ActionContractTest checks). */
    static final List<String> OUTPUTS = List.of(
            "decision", "allow", "merged", "kind", "digest", "applied", "revoked", "failed", "reverted", "drift");

    /** The events check mode judges; others carry no pull request. */
    static final Set<String> PULL_REQUEST_EVENTS = Set.of("pull_request", "pull_request_target", "pull_request_review");

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", required = true, description = "check, apply, expire or reconcile.")
    Mode mode;

    @Option(
            names = "--config",
            defaultValue = ".",
            description = "The access repository's checkout, relative to GITHUB_WORKSPACE (default: .).")
    String config;

    @Option(names = "--dry-run", description = "Evaluate and report, but write nothing (no check, merge or grant).")
    boolean dryRun;

    private final Map<String, String> env;
    private final Clock clock;

    public ActionCommand() {
        this(System.getenv(), Clock.systemUTC());
    }

    ActionCommand(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /** Runs {@code hallpass action ...} with an explicit environment and clock, as tests and embedders need. */
    static int run(Map<String, String> env, Clock clock, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ActionCommand(env, clock));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("hallpass: " + Main.describe(ex));
            line.getErr().flush();
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return switch (mode) {
                case check -> check();
                case apply -> lifecycle(Mode.apply);
                case expire -> lifecycle(Mode.expire);
                case reconcile -> reconcile();
            };
        } catch (Exception e) {
            // The log is one click further than the summary and the annotation: say it where people look first.
            String why = Main.describe(e);
            out().println("::error title=hallpass " + mode + "::" + data(why));
            summary("## Hallpass " + mode + " failed\n\n" + cell(why) + "\n");
            throw e;
        } finally {
            out().flush();
        }
    }

    // ---------------------------------------------------------------- check

    private int check() throws IOException {
        String event = env.getOrDefault("GITHUB_EVENT_NAME", "");
        if (!PULL_REQUEST_EVENTS.contains(event)) {
            summary("## Hallpass\n\nThe `" + event + "` event carries no pull request: nothing to judge.\n");
            outputs(Map.of("decision", "none", "allow", "false", "merged", "false"));
            return 0;
        }
        JsonNode payload = event();
        int number = payload.path("pull_request").path("number").asInt(0);
        if (number <= 0) {
            throw new IllegalArgumentException("the " + event + " event has no pull_request.number");
        }
        RepoName repo = repository(payload);
        String base = payload.path("pull_request").path("base").path("ref").asText("main");
        Hub4jGitHubGateway github = new Hub4jGitHubGateway(apiUrl(), GitHubAuth.token(token().getValue()), clock);
        PullRequestProcessor processor = new PullRequestProcessor(
                github,
                new AccessEvaluator(new PolicyOptions().source(env), clock),
                new GitHubRepoTree.Cache(1_000),
                r -> PolicyInput.State.empty(),
                botLogins(),
                new AuditedMergeMessages(clock, id -> startOf(github, repo, base, id)),
                dryRun);
        PullRequestProcessor.Outcome o = processor.process(repo, number);
        if (o.evaluation().isEmpty()) {
            summary("## Hallpass\n\nPull request #" + number + ": " + o.note() + ".\n");
            outputs(Map.of("decision", "none", "allow", "false", "merged", "false"));
            return 0;
        }
        Evaluation e = o.evaluation().get();
        Decision d = e.decision();
        boolean merged = o.merge().map(m -> m.isMerged()).orElse(false);
        for (Problem p : e.problems()) {
            annotate("error", p);
        }
        if (e.problems().isEmpty() && DecisionReport.conclusion(d) == DecisionReport.Conclusion.FAILURE) {
            // Policy violations belong to no line of the file; they still deserve a visible annotation.
            for (Decision.Reason v : d.violations()) {
                out().println("::error title=" + property(v.code()) + "::" + data(v.message()));
            }
        }
        Map<String, String> outs = new LinkedHashMap<>();
        outs.put("decision", d.outcome());
        outs.put("allow", String.valueOf(d.allow()));
        outs.put("merged", String.valueOf(merged));
        outs.put("kind", d.kind());
        outs.put("digest", "sha256:" + e.digest());
        outputs(outs);
        // DecisionReport.markdown carries the title as its own heading; this one names the pull request.
        summary("## Hallpass, pull request #" + number + "\n\n"
                + "| Pull request | Kind | Outcome | Allowed | Approvals | Merged | Digest |\n"
                + "| --- | --- | --- | --- | --- | --- | --- |\n"
                + "| #" + number + " | " + cell(d.kind()) + " | " + cell(d.outcome()) + " | "
                + (d.allow() ? "yes" : "no")
                + " | " + d.approvals() + " of " + d.requiredApprovals() + " | " + (merged ? "yes" : "no")
                + " | `sha256:"
                + e.digest().substring(0, Math.min(12, e.digest().length())) + "` |\n\n"
                + DecisionReport.markdown(e) + "\n");
        out().println("Hallpass #" + number + ": " + DecisionReport.title(e) + (merged ? " (merged)" : ""));
        return merged ? 0 : EvaluateCommand.exitCode(e);
    }

    /**
     * When a live request started, for an extension's merge message (its expiry counts from the original start).
     * Read from the base branch only when an extension merges, so other evaluations cost nothing more.
     */
    private static Optional<Instant> startOf(GitHubGateway github, RepoName repo, String base, RequestId id) {
        return new GitHubGrantSource(github, repo, base, new GitHubRepoTree.Cache(1_000))
                .snapshot().grants().stream()
                        .filter(g -> g.requestId().equals(id))
                        .map(Grant::start)
                        .min(Comparator.naturalOrder());
    }

    // ---------------------------------------------------------------- apply, expire

    private int lifecycle(Mode which) throws Exception {
        JsonNode payload = eventOrEmpty();
        LifecycleOptions o = options(payload, which == Mode.expire);
        if (which == Mode.apply
                && payload.has("ref")
                && !payload.path("ref").asText().equals("refs/heads/" + o.branch)) {
            summary("## Hallpass apply\n\nPush to `" + payload.path("ref").asText() + "`, not the default branch `"
                    + o.branch + "`: nothing to apply.\n");
            outputs(Map.of("applied", "0", "revoked", "0"));
            return 0;
        }
        try (Repository git = o.open()) {
            GrantLifecycle lifecycle = o.wire(git, clock).lifecycle();
            // apply never opens pull requests: reverting expired files is expire's job, under its schedule.
            GrantLifecycle.SyncReport r = which == Mode.apply ? lifecycle.syncWithoutReverts() : lifecycle.sync();
            LifecycleOutput.print(out(), r, dryRun);
            for (Problem p : r.problems()) {
                annotate("warning", p);
            }
            long applied = count(r.reconcile().results(), Action.APPLY);
            long revoked = count(r.reconcile().results(), Action.REVOKE);
            long failed = r.reconcile().results().stream().filter(x -> !x.ok()).count();
            long reverted = r.pullRequests().stream()
                    .filter(GrantLifecycle.PullRequestStep::merged)
                    .count();
            Map<String, String> outs = new LinkedHashMap<>();
            outs.put("applied", String.valueOf(applied));
            outs.put("revoked", String.valueOf(revoked));
            outs.put("failed", String.valueOf(failed));
            outs.put("reverted", String.valueOf(reverted));
            outputs(outs);
            StringBuilder md = new StringBuilder("## Hallpass " + which + (dryRun ? " (dry run)" : "") + "\n\n");
            md.append("Default branch at `")
                    .append(r.headSha().map(s -> s.substring(0, 7)).orElse("?"))
                    .append("`, ")
                    .append(r.at())
                    .append(": ")
                    .append(applied)
                    .append(" applied, ")
                    .append(revoked)
                    .append(" revoked, ")
                    .append(failed)
                    .append(" failed.\n\n");
            md.append(results(r.reconcile().results()));
            if (!r.pullRequests().isEmpty()) {
                md.append("\n| Revert | Request | Pull request | Merged |\n| --- | --- | --- | --- |\n");
                for (GrantLifecycle.PullRequestStep s : r.pullRequests()) {
                    md.append("| ")
                            .append(cell(s.kind()))
                            .append(" | ")
                            .append(cell(s.request().toString()))
                            .append(" | #")
                            .append(s.number())
                            .append(" | ")
                            .append(s.merged() ? "yes" : "no: " + cell(s.note()))
                            .append(" |\n");
                }
            }
            for (Problem p : r.problems()) {
                md.append("\n- not granted: ").append(cell(p.format()));
            }
            r.nextChange()
                    .ifPresent(t ->
                            md.append("\n\nNext start or expiry: ").append(t).append('\n'));
            summary(md.append('\n').toString());
            boolean revertsOk = r.pullRequests().stream().allMatch(GrantLifecycle.PullRequestStep::merged);
            return r.ok() && revertsOk ? 0 : 1;
        }
    }

    private static long count(List<ExecutionResult> results, Action action) {
        return results.stream().filter(x -> x.ok() && x.action() == action).count();
    }

    private static String results(List<ExecutionResult> results) {
        if (results.isEmpty()) {
            return "Targets already match git.\n";
        }
        StringBuilder md = new StringBuilder("| Action | Request | Grant | Result |\n| --- | --- | --- | --- |\n");
        for (ExecutionResult x : results) {
            md.append("| ")
                    .append(x.action().wire())
                    .append(" | ")
                    .append(cell(x.grant().requestId().toString()))
                    .append(" | `")
                    .append(cell(x.grant().key().toString()))
                    .append("` | ")
                    .append(x.ok() ? "ok" : "**failed**")
                    .append(": ")
                    .append(cell(x.outcome().summary()))
                    .append(" |\n");
        }
        return md.toString();
    }

    // ---------------------------------------------------------------- reconcile

    private int reconcile() throws Exception {
        LifecycleOptions o = options(eventOrEmpty(), false);
        try (Repository git = o.open()) {
            LifecycleOptions.Wiring w = o.wire(git, clock);
            GrantSource.Snapshot s = w.source().snapshot();
            GrantLedger ledger = GrantLedger.of(s.grants(), clock);
            // verify is read-only, so a dry run checks the real targets.
            DriftCheck check = new DriftCheck(w.providers(), w.applied());
            DriftCheck.Report r = dryRun
                    ? check.find(ledger, s.catalog(), clock.instant())
                    : check.repair(ledger, s.catalog(), w.executor(), clock.instant());
            StringBuilder md = new StringBuilder("## Hallpass reconcile" + (dryRun ? " (dry run)" : "") + "\n\n");
            md.append(s.grants().size())
                    .append(" grant(s) in git at `")
                    .append(s.headSha(), 0, 7)
                    .append("`: ");
            md.append(r.drift().isEmpty() ? "no drift.\n\n" : r.drift().size() + " drift(s).\n\n");
            if (!r.drift().isEmpty()) {
                md.append("| Drift | Grant | Detail | Repairable |\n| --- | --- | --- | --- |\n");
                for (DriftCheck.Drift d : r.drift()) {
                    md.append("| ")
                            .append(d.kind().name().toLowerCase(Locale.ROOT))
                            .append(" | `")
                            .append(cell(d.key().toString()))
                            .append("` | ")
                            .append(cell(d.detail()))
                            .append(" | ")
                            .append(d.repairable() ? "yes" : "no: a person must judge")
                            .append(" |\n");
                    out().println("::warning title=hallpass drift "
                            + property(d.kind().name().toLowerCase(Locale.ROOT)) + "::"
                            + data(d.key() + ": " + d.detail()));
                }
            }
            r.repair().ifPresent(rep -> md.append("\nRepairs:\n\n").append(results(rep.results())));
            if (!r.unknown().isEmpty()) {
                md.append("\nThe provider cannot tell: ")
                        .append(r.unknown().stream().map(k -> "`" + k + "`").collect(Collectors.joining(", ")))
                        .append('\n');
            }
            summary(md.toString());
            outputs(Map.of("drift", String.valueOf(r.drift().size())));
            out().println("Hallpass reconcile: " + r.drift().size() + " drift(s)");
            return r.drift().isEmpty() ? 0 : 1;
        }
    }

    // ---------------------------------------------------------------- the runner's environment

    private LifecycleOptions options(JsonNode payload, boolean needsGitHub) {
        LifecycleOptions o = new LifecycleOptions();
        o.repo = workspace().resolve(config).normalize();
        o.ref = "HEAD";
        o.dryRun = dryRun;
        o.githubApi = apiUrl();
        o.branch = Optional.ofNullable(
                        payload.path("repository").path("default_branch").textValue())
                .or(() -> Optional.ofNullable(env.get("HALLPASS_DEFAULT_BRANCH")))
                .orElse("main");
        o.botLogins = botLogins();
        o.env = env;
        Optional<Map.Entry<String, String>> token = findToken();
        if (token.isPresent()) {
            // With a token, GitHub teams are managed and (for expire) revert pull requests opened.
            o.githubRepo = repository(payload).toString();
            o.tokenEnv = token.get().getKey();
        } else if (needsGitHub) {
            throw new IllegalArgumentException("expire needs a token to open revert pull requests: set the"
                    + " github-token input (" + String.join(", ", TOKEN_VARIABLES) + ")");
        }
        return o;
    }

    private JsonNode event() throws IOException {
        String path = env.get("GITHUB_EVENT_PATH");
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("GITHUB_EVENT_PATH is not set: run inside GitHub Actions");
        }
        return new ObjectMapper().readTree(Path.of(path).toFile());
    }

    /** Scheduled and dispatched runs have thin events; their absence is no error. */
    private JsonNode eventOrEmpty() throws IOException {
        String path = env.get("GITHUB_EVENT_PATH");
        if (path == null || path.isBlank() || !Files.exists(Path.of(path))) {
            return new ObjectMapper().createObjectNode();
        }
        return event();
    }

    private RepoName repository(JsonNode payload) {
        String name = env.get("GITHUB_REPOSITORY");
        if (name == null || name.isBlank()) {
            name = payload.path("repository").path("full_name").asText("");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("GITHUB_REPOSITORY is not set");
        }
        return RepoName.parse(name);
    }

    private String apiUrl() {
        String url = env.get("GITHUB_API_URL");
        return url == null || url.isBlank() ? Hub4jGitHubGateway.GITHUB_COM_API : url;
    }

    private Path workspace() {
        String w = env.get("GITHUB_WORKSPACE");
        return Path.of(w == null || w.isBlank() ? "." : w).toAbsolutePath();
    }

    private Optional<Map.Entry<String, String>> findToken() {
        for (String name : TOKEN_VARIABLES) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(Map.entry(name, v));
            }
        }
        return Optional.empty();
    }

    private Map.Entry<String, String> token() {
        return findToken()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no GitHub token: set the github-token input (" + String.join(", ", TOKEN_VARIABLES) + ")"));
    }

    private Set<String> botLogins() {
        String v = env.getOrDefault("HALLPASS_BOT_LOGINS", "");
        Set<String> logins = Arrays.stream(v.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return logins.isEmpty() ? Set.of("github-actions[bot]") : logins;
    }

    // ---------------------------------------------------------------- what GitHub reads back

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private void annotate(String level, Problem p) {
        StringBuilder cmd =
                new StringBuilder("::").append(level).append(" file=").append(property(p.file()));
        if (p.line() > 0) {
            cmd.append(",line=").append(p.line());
            cmd.append(",col=").append(Math.max(1, p.column()));
        }
        cmd.append(",title=").append(property(p.code())).append("::").append(data(p.message()));
        out().println(cmd);
    }

    /** GitHub's escaping of a workflow command's message. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** GitHub's escaping of a workflow command's property value: the message's, plus its separators. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private void outputs(Map<String, String> values) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            if (v.contains("\n") || v.contains("\r")) {
                // A multi-line value needs GitHub's heredoc form; the delimiter must not occur in the value.
                String delim = "HALLPASS_EOF_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
                sb.append(e.getKey())
                        .append("<<")
                        .append(delim)
                        .append('\n')
                        .append(v)
                        .append('\n')
                        .append(delim);
            } else {
                sb.append(e.getKey()).append('=').append(v);
            }
            sb.append('\n');
        }
        append("GITHUB_OUTPUT", sb.toString());
    }

    private void summary(String markdown) throws IOException {
        append("GITHUB_STEP_SUMMARY", markdown);
    }

    /** Outside a runner these files are absent; the plain output still goes to the log. */
    private void append(String variable, String text) throws IOException {
        String path = env.get(variable);
        if (path == null || path.isBlank()) {
            return;
        }
        Files.writeString(
                Path.of(path), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
