package dev.hallpass.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.git.GitCommitTree;
import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessRepoLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void load_whenTemplate_isClean() {
        AccessRepo repo = new AccessRepoLoader().load(new DirectoryTree(TemplateRepo.PATH));
        assertEquals(List.of(), repo.problems());
        assertEquals(4, repo.catalog().orElseThrow().roles().size());
        assertTrue(repo.settings().isPresent());
        assertEquals(3, repo.onCall().orElseThrow().rotations().size());
    }

    @Test
    void load_whenTemplate_readsPlatformOwnersAsGroup() {
        AccessRepo repo = new AccessRepoLoader().load(new DirectoryTree(TemplateRepo.PATH));
        Settings s = repo.settings().orElseThrow();
        assertEquals(List.of(Principal.parse("group:platform")), s.platformOwners());
        assertEquals(
                java.util.Set.of(Login.of("frank"), Login.of("grace"), Login.of("ivan")),
                repo.catalog().orElseThrow().expand(s.platformOwners()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "'[group:nobody]', settings.platform_owners.unknown_group",
        "'[-x]', settings.platform_owners.invalid"
    })
    void load_whenPlatformOwnersNameUnknownGroupOrBadLogin_reportsIt(String owners, String code) throws IOException {
        TemplateRepo.copyTo(tmp);
        Files.writeString(
                tmp.resolve("hallpass.yaml"),
                Files.readString(tmp.resolve("hallpass.yaml"))
                        .replace("platform_owners: [group:platform]", "platform_owners: " + owners));
        List<String> got = new AccessRepoLoader()
                .load(new DirectoryTree(tmp)).problems().stream()
                        .map(p -> p.file() + ":" + p.code())
                        .toList();
        assertTrue(got.contains("hallpass.yaml:" + code), got.toString());
    }

    @Test
    void load_whenCopyIsBroken_listsEveryProblemWithItsLine() throws IOException {
        TemplateRepo.copyTo(tmp);
        Files.writeString(
                tmp.resolve("requests/bad.yaml"),
                """
                apiVersion: hallpass/v1
                kind: AccessRequest
                requester: mallory
                role: db-admin
                environment: prod-asia
                duration: 9h
                reason: "because"
                """);
        Files.writeString(
                tmp.resolve("catalog/groups.yaml"),
                Files.readString(tmp.resolve("catalog/groups.yaml"))
                        .replace("members: [carol, erin]", "members: [carol, erin, 42]"));
        AccessRepo repo = new AccessRepoLoader().load(new DirectoryTree(tmp));
        List<String> got = repo.problems().stream()
                .map(p -> p.file() + ":" + p.line() + ":" + p.code())
                .toList();
        assertEquals(
                List.of(
                        "catalog/groups.yaml:10:catalog.group.members.wrong_type",
                        "requests/bad.yaml:3:request.requester.not_eligible",
                        "requests/bad.yaml:5:request.environment.not_allowed",
                        "requests/bad.yaml:5:request.environment.unknown",
                        "requests/bad.yaml:6:request.duration.exceeds_role_max"),
                got);
    }

    @Test
    void load_whenReadAtGitCommit_seesThatCommitNotTheWorkingTree() throws Exception {
        TemplateRepo.copyTo(tmp);
        try (Git git =
                Git.init().setDirectory(tmp.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Platform", "platform@example.com");
            git.commit()
                    .setMessage("Start access repo")
                    .setAuthor(who)
                    .setCommitter(who)
                    .setSign(false)
                    .call();
            // The working tree changes after the commit; reading at the commit must not see it.
            Files.writeString(tmp.resolve("requests/late.yaml"), "not: a request\n");
            Files.delete(tmp.resolve("oncall.yaml"));

            AccessRepo atCommit = new AccessRepoLoader().load(GitCommitTree.at(git.getRepository(), "main"));
            assertEquals(List.of(), atCommit.problems());
            assertTrue(atCommit.source().startsWith("commit "), atCommit.source());

            AccessRepo workTree = new AccessRepoLoader().load(new DirectoryTree(tmp));
            assertTrue(workTree.problems().stream().anyMatch(p -> p.code().equals("repo.missing_file")));
            assertTrue(workTree.problems().stream().anyMatch(p -> p.file().equals("requests/late.yaml")));
        }
    }

    @Test
    void load_whenSymlinkUnderRequests_refusesIt() throws IOException {
        TemplateRepo.copyTo(tmp);
        Files.createSymbolicLink(tmp.resolve("requests/link.yaml"), tmp.resolve("hallpass.yaml"));
        AccessRepo repo = new AccessRepoLoader().load(new DirectoryTree(tmp));
        assertEquals(
                List.of("request.path.not_regular_file"),
                repo.problems().stream().map(Problem::code).toList());
    }
}
