package dev.hallpass.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.evaluation.DecisionReport;
import dev.hallpass.evaluation.Evaluation;
import dev.hallpass.git.GitChanges;
import dev.hallpass.git.GitCommitTree;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PullRequestFacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hallpass evaluate}: the pull-request evaluation on local git refs, as the webhook server runs it
 * (configuration and policies at the base, the request at the head). The GitHub Action uses it.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate an access change between two git refs, as Hallpass evaluates a pull request.",
            "Exit 0: merge (or not Hallpass's to judge); 1: denied or cannot decide; 3: waiting for approvals; 2: usage error."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyOptions policy;

    @Option(
            names = "--repo",
            defaultValue = ".",
            description = "The access repository (a git work tree or bare repository).")
    Path repo;

    @Option(names = "--base", required = true, description = "The base ref (the branch the pull request targets).")
    String base;

    @Option(names = "--head", required = true, description = "The head ref (the pull request's branch).")
    String head;

    @Option(names = "--author", required = true, description = "GitHub login of the pull request's author.")
    String author;

    @Option(names = "--pr", defaultValue = "0", description = "Pull request number, for the report.")
    int number;

    @Option(names = "--approved-by", split = ",", description = "Logins that approved the head commit.")
    List<String> approvedBy = new ArrayList<>();

    @Option(names = "--hallpass-author", description = "The pull request was opened by Hallpass itself (an expiry).")
    boolean hallpassAuthor;

    @Option(names = "--now", description = "Evaluate as at this RFC 3339 time (default: now).")
    String now;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    ValidateCommand.Format format;

    @Override
    public Integer call() throws IOException {
        Instant at = now == null ? Instant.now() : parseTime(now);
        try (Repository git = open(repo)) {
            GitCommitTree baseTree = tree(git, base);
            GitCommitTree headTree = tree(git, head);
            List<PullRequestFacts.ReviewFact> reviews = approvedBy.stream()
                    .map(l -> new PullRequestFacts.ReviewFact(
                            l, "APPROVED", headTree.commit().name()))
                    .toList();
            PullRequestFacts pr = new PullRequestFacts(
                    number,
                    author,
                    hallpassAuthor,
                    headTree.commit().name(),
                    baseTree.commit().name(),
                    GitChanges.between(git, base, head),
                    reviews);
            AccessEvaluator evaluator = new AccessEvaluator(policy.source(), Clock.fixed(at, ZoneOffset.UTC));
            Evaluation e = evaluator.evaluate(baseTree, headTree, pr, PolicyInput.State.empty());
            print(e);
            return exitCode(e);
        }
    }

    static int exitCode(Evaluation e) {
        return switch (DecisionReport.conclusion(e.decision())) {
            case SUCCESS, NEUTRAL -> 0;
            case ACTION_REQUIRED -> 3;
            case FAILURE -> 1;
        };
    }

    private void print(Evaluation e) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (format == ValidateCommand.Format.json) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode doc = json.createObjectNode();
            doc.set("decision", e.decision().toJson());
            doc.put("conclusion", DecisionReport.conclusion(e.decision()).github);
            doc.put("title", DecisionReport.title(e));
            doc.put("digest", "sha256:" + e.digest());
            doc.put("engine", e.engine());
            doc.put("took_ms", e.took().toNanos() / 1e6);
            var problems = doc.putArray("problems");
            e.problems().forEach(p -> problems.addObject()
                    .put("file", p.file())
                    .put("line", p.line())
                    .put("column", p.column())
                    .put("code", p.code())
                    .put("message", p.message()));
            doc.set("input", e.input());
            out.println(json.writeValueAsString(doc));
        } else {
            out.print(DecisionReport.text(e));
        }
        out.flush();
    }

    private GitCommitTree tree(Repository git, String ref) {
        try {
            return GitCommitTree.at(git, ref);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Repository open(Path dir) {
        try {
            FileRepositoryBuilder b =
                    new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
            if (b.getGitDir() == null) {
                b = new FileRepositoryBuilder().setGitDir(dir.toAbsolutePath().toFile());
            }
            Repository r = b.build();
            if (!r.getObjectDatabase().exists()) {
                throw new ParameterException(spec.commandLine(), dir + " is not a git repository");
            }
            return r;
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(), "cannot open git repository " + dir + ": " + e.getMessage());
        }
    }

    private Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new ParameterException(
                    spec.commandLine(), "--now must be an RFC 3339 time such as 2026-11-22T01:00:00Z");
        }
    }
}
