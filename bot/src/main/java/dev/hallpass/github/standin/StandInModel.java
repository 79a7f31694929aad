package dev.hallpass.github.standin;

import dev.hallpass.github.RepoName;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The stand-in's mutable state. Guarded by the {@link GitHubStandIn} monitor; plain fields on purpose. */
final class StandInModel {
    private StandInModel() {}

    static final class User {
        final String login;
        final long id;
        final String type;

        User(String login, long id, String type) {
            this.login = login;
            this.id = id;
            this.type = type;
        }
    }

    static final class Repo {
        final RepoName name;
        final long id;
        final User owner;
        final Instant createdAt;
        final GitStore git;
        final String defaultBranch = "main";
        final Map<Integer, Pull> pulls = new TreeMap<>();
        final Map<String, Label> labels = new LinkedHashMap<>();
        final List<CheckRun> checkRuns = new ArrayList<>();
        Instant pushedAt;
        int nextNumber = 1;
        // The repository's merge buttons; GitHub enables all three on a new repository.
        boolean allowMergeCommit = true;
        boolean allowSquashMerge = true;
        boolean allowRebaseMerge = true;

        Repo(RepoName name, long id, User owner, Instant createdAt) {
            this.name = name;
            this.id = id;
            this.owner = owner;
            this.createdAt = createdAt;
            this.pushedAt = createdAt;
            this.git = new GitStore(name.fullName());
        }
    }

    static final class Label {
        final long id;
        final String name;
        final String color;

        Label(long id, String name, String color) {
            this.id = id;
            this.name = name;
            this.color = color;
        }
    }

    static final class Pull {
        final int number;
        final long id;
        final User author;
        final String headBranch;
        final String baseBranch;
        final Instant createdAt;
        String title;
        String body;
        boolean draft;
        boolean open = true;
        boolean merged;
        User mergedBy;
        Instant mergedAt;
        Instant closedAt;
        Instant updatedAt;
        /** Last known head; survives deletion of the head branch. */
        String headSha;
        /** Base tip when the PR was last evaluated against it (GitHub's base.sha). */
        String baseSha;

        String mergeCommitSha;
        boolean forcedUnmergeable;
        /** GitHub has not finished computing mergeability: single reads say null/"unknown". */
        boolean mergeabilityPending;

        final Set<String> labels = new LinkedHashSet<>();
        final List<Review> reviews = new ArrayList<>();
        final List<Comment> comments = new ArrayList<>();

        Pull(int number, long id, User author, String headBranch, String baseBranch, Instant createdAt) {
            this.number = number;
            this.id = id;
            this.author = author;
            this.headBranch = headBranch;
            this.baseBranch = baseBranch;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class Review {
        final long id;
        final User user;
        final String body;
        final String commitId;
        final Instant submittedAt;
        String state;

        Review(long id, User user, String state, String body, String commitId, Instant submittedAt) {
            this.id = id;
            this.user = user;
            this.state = state;
            this.body = body;
            this.commitId = commitId;
            this.submittedAt = submittedAt;
        }
    }

    static final class Comment {
        final long id;
        final int issueNumber;
        final User user;
        final Instant createdAt;
        String body;
        Instant updatedAt;

        Comment(long id, int issueNumber, User user, String body, Instant createdAt) {
            this.id = id;
            this.issueNumber = issueNumber;
            this.user = user;
            this.body = body;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class CheckRun {
        final long id;
        final long suiteId;
        final String headSha;
        final App app;
        String name;
        String status = "queued";
        String conclusion;
        String title;
        String summary;
        String text;
        String detailsUrl;
        String externalId;
        Instant startedAt;
        Instant completedAt;

        CheckRun(long id, long suiteId, String headSha, String name, App app) {
            this.id = id;
            this.suiteId = suiteId;
            this.headSha = headSha;
            this.name = name;
            this.app = app;
        }
    }

    static final class App {
        final long id;
        final String slug;
        final PublicKey publicKey;
        final User owner;
        final User bot;
        final Instant createdAt;

        App(long id, String slug, PublicKey publicKey, User owner, User bot, Instant createdAt) {
            this.id = id;
            this.slug = slug;
            this.publicKey = publicKey;
            this.owner = owner;
            this.bot = bot;
            this.createdAt = createdAt;
        }
    }

    static final class Installation {
        final long id;
        final App app;
        final User account;
        final Set<RepoName> repos = new LinkedHashSet<>();
        final Instant createdAt;

        Installation(long id, App app, User account, Instant createdAt) {
            this.id = id;
            this.app = app;
            this.account = account;
            this.createdAt = createdAt;
        }
    }

    /** Who a request acts as: a user (PAT), an app installation, or the app itself (JWT). */
    static final class Principal {
        final User user;
        final Installation installation;
        final App app;

        Principal(User user, Installation installation, App app) {
            this.user = user;
            this.installation = installation;
            this.app = app;
        }

        String key() {
            return installation != null
                    ? "installation:" + installation.id
                    : app != null ? "app:" + app.id : user.login;
        }

        /** The account GitHub shows as acting: the user, or the app's bot user. */
        User actor() {
            return installation != null ? installation.app.bot : app != null ? app.bot : user;
        }
    }

    static final class Token {
        final String value;
        final User user;
        final Installation installation;
        final Instant expiresAt;

        Token(String value, User user, Installation installation, Instant expiresAt) {
            this.value = value;
            this.user = user;
            this.installation = installation;
            this.expiresAt = expiresAt;
        }
    }

    static final class Team {
        final long id;
        final String org;
        final String slug;
        final Map<String, String> members = new TreeMap<>();
        final Set<String> pending = new LinkedHashSet<>();

        Team(long id, String org, String slug) {
            this.id = id;
            this.org = org;
            this.slug = slug;
        }
    }
}
