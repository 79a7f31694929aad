package dev.hallpass.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallpass.git.GitCommitTree;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.DirectoryTree;
import dev.hallpass.request.Problem;
import dev.hallpass.request.RepoTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hallpass validate}: reads an access repository and reports every problem, like a compiler. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check an access repository: settings, catalog, on-call and every request.",
            "Exit 0 when clean, 1 when there are problems, 2 on a usage error."
        })
public final class ValidateCommand implements Callable<Integer> {

    enum Format {
        text,
        json
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = ".", description = "The access repository (default: .)")
    Path dir;

    @Option(
            names = "--ref",
            description = "Read the files at this git commit, branch or tag instead of the working tree.")
    String ref;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    Format format;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "not a directory: " + dir);
        }
        AccessRepo repo;
        if (ref == null) {
            RepoTree tree = new DirectoryTree(dir);
            repo = withPolicyProblems(new AccessRepoLoader().load(tree), tree);
        } else {
            try (Repository git = openGit(dir)) {
                RepoTree tree;
                try {
                    tree = GitCommitTree.at(git, ref);
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                repo = withPolicyProblems(new AccessRepoLoader().load(tree), tree);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(json(repo));
        } else {
            repo.problems().forEach(p -> out.println(p.format()));
            out.println(summary(repo));
        }
        out.flush();
        return repo.isClean() ? 0 : 1;
    }

    /**
     * Adds the problems of the repository's own {@code policies/*.rego}: compiled with the shipped ones
     * as the embedded engine will, since a policy that does not compile makes every evaluation fail.
     */
    static AccessRepo withPolicyProblems(AccessRepo repo, RepoTree tree) {
        List<Problem> policy = EmbeddedPolicySource.withBundledPolicies().check(tree);
        if (policy.isEmpty()) {
            return repo;
        }
        List<Problem> all = new java.util.ArrayList<>(repo.problems());
        all.addAll(policy);
        all.sort(Problem.ORDER);
        return new AccessRepo(repo.source(), repo.settings(), repo.catalog(), repo.onCall(), repo.requests(), all);
    }

    private Repository openGit(Path dir) {
        try {
            FileRepositoryBuilder b =
                    new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
            if (b.getGitDir() == null) {
                throw new ParameterException(
                        spec.commandLine(), "--ref needs a git repository, and " + dir + " is not in one");
            }
            return b.build();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot open git repository: " + e.getMessage());
        }
    }

    static String summary(AccessRepo repo) {
        String counts = repo.catalog()
                        .map(c -> c.roles().size() + " roles, " + c.groups().size() + " groups, ")
                        .orElse("")
                + repo.onCall().map(o -> o.rotations().size() + " rotations, ").orElse("")
                + repo.requests().size() + " requests";
        if (repo.isClean()) {
            return "ok: " + repo.source() + " (" + counts + ")";
        }
        return repo.problems().size() + " problem(s) in " + repo.source() + " (" + counts + ")";
    }

    static String json(AccessRepo repo) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("source", repo.source());
        doc.put("ok", repo.isClean());
        doc.put(
                "requests",
                repo.requests().keySet().stream().map(Object::toString).sorted().toList());
        List<Map<String, Object>> problems =
                repo.problems().stream().map(ValidateCommand::problem).toList();
        doc.put("problems", problems);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    }

    private static Map<String, Object> problem(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", p.file());
        m.put("line", p.line());
        m.put("column", p.column());
        m.put("code", p.code());
        m.put("message", p.message());
        return m;
    }
}
