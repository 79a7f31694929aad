package dev.hallpass.github.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallpass.github.standin.StandInModel.App;
import dev.hallpass.github.standin.StandInModel.CheckRun;
import dev.hallpass.github.standin.StandInModel.Comment;
import dev.hallpass.github.standin.StandInModel.Installation;
import dev.hallpass.github.standin.StandInModel.Label;
import dev.hallpass.github.standin.StandInModel.Pull;
import dev.hallpass.github.standin.StandInModel.Repo;
import dev.hallpass.github.standin.StandInModel.Review;
import dev.hallpass.github.standin.StandInModel.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * GitHub's JSON shapes, built from the stand-in's state. Field sets follow the REST description's required properties
 * (checked by a test against the OpenAPI document), URLs point back at the stand-in.
 */
final class Shapes {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String DOCS = "https://docs.github.com/rest";

    private final String api;
    private final String html;

    Shapes(String api) {
        this.api = api;
        this.html = api + "/_html";
    }

    String api() {
        return api;
    }

    static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String nodeId(String type, long id) {
        return Base64.getEncoder().encodeToString((type + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectNode error(String message) {
        ObjectNode n = F.objectNode();
        n.put("message", message);
        n.put("documentation_url", DOCS);
        return n;
    }

    static ObjectNode validation(String message, String resource, String field, String code) {
        ObjectNode n = F.objectNode();
        n.put("message", "Validation Failed");
        ArrayNode errs = n.putArray("errors");
        ObjectNode e = errs.addObject();
        e.put("resource", resource);
        e.put("field", field);
        e.put("code", code);
        if (message != null) {
            e.put("message", message);
        }
        n.put("documentation_url", DOCS);
        return n;
    }

    ObjectNode user(User u) {
        ObjectNode n = F.objectNode();
        String url = api + "/users/" + enc(u.login);
        n.put("login", u.login);
        n.put("id", u.id);
        n.put("node_id", nodeId(u.type, u.id));
        n.put("avatar_url", html + "/avatars/" + u.id);
        n.put("gravatar_id", "");
        n.put("url", url);
        n.put("html_url", html + "/" + u.login);
        n.put("followers_url", url + "/followers");
        n.put("following_url", url + "/following{/other_user}");
        n.put("gists_url", url + "/gists{/gist_id}");
        n.put("starred_url", url + "/starred{/owner}{/repo}");
        n.put("subscriptions_url", url + "/subscriptions");
        n.put("organizations_url", url + "/orgs");
        n.put("repos_url", url + "/repos");
        n.put("events_url", url + "/events{/privacy}");
        n.put("received_events_url", url + "/received_events");
        n.put("type", u.type);
        n.put("user_view_type", "public");
        n.put("site_admin", false);
        return n;
    }

    /** The "organization" member of webhook payloads for organisation-owned repositories. */
    ObjectNode organization(User org) {
        ObjectNode n = F.objectNode();
        String url = api + "/orgs/" + enc(org.login);
        n.put("login", org.login);
        n.put("id", org.id);
        n.put("node_id", nodeId("Organization", org.id));
        n.put("url", url);
        n.put("repos_url", url + "/repos");
        n.put("events_url", url + "/events");
        n.put("hooks_url", url + "/hooks");
        n.put("issues_url", url + "/issues");
        n.put("members_url", url + "/members{/member}");
        n.put("public_members_url", url + "/public_members{/member}");
        n.put("avatar_url", html + "/avatars/" + org.id);
        n.putNull("description");
        return n;
    }

    /** GET /user for a person: private-user. */
    ObjectNode privateUser(User u, Instant created) {
        ObjectNode n = user(u);
        n.putNull("name");
        n.putNull("company");
        n.put("blog", "");
        n.putNull("location");
        n.putNull("email");
        n.putNull("hireable");
        n.putNull("bio");
        n.put("public_repos", 0);
        n.put("public_gists", 0);
        n.put("followers", 0);
        n.put("following", 0);
        n.put("created_at", time(created));
        n.put("updated_at", time(created));
        n.put("private_gists", 0);
        n.put("total_private_repos", 0);
        n.put("owned_private_repos", 0);
        n.put("disk_usage", 0);
        n.put("collaborators", 0);
        n.put("two_factor_authentication", true);
        return n;
    }

    ObjectNode publicUser(User u, Instant created) {
        ObjectNode n = privateUser(u, created);
        for (String k : new String[] {
            "private_gists",
            "total_private_repos",
            "owned_private_repos",
            "disk_usage",
            "collaborators",
            "two_factor_authentication"
        }) {
            n.remove(k);
        }
        return n;
    }

    private static final String[] REPO_URLS = {
        "archive_url", "/{archive_format}{/ref}",
        "assignees_url", "/assignees{/user}",
        "blobs_url", "/git/blobs{/sha}",
        "branches_url", "/branches{/branch}",
        "collaborators_url", "/collaborators{/collaborator}",
        "comments_url", "/comments{/number}",
        "commits_url", "/commits{/sha}",
        "compare_url", "/compare/{base}...{head}",
        "contents_url", "/contents/{+path}",
        "contributors_url", "/contributors",
        "deployments_url", "/deployments",
        "downloads_url", "/downloads",
        "events_url", "/events",
        "forks_url", "/forks",
        "git_commits_url", "/git/commits{/sha}",
        "git_refs_url", "/git/refs{/sha}",
        "git_tags_url", "/git/tags{/sha}",
        "hooks_url", "/hooks",
        "issue_comment_url", "/issues/comments{/number}",
        "issue_events_url", "/issues/events{/number}",
        "issues_url", "/issues{/number}",
        "keys_url", "/keys{/key_id}",
        "labels_url", "/labels{/name}",
        "languages_url", "/languages",
        "merges_url", "/merges",
        "milestones_url", "/milestones{/number}",
        "notifications_url", "/notifications{?since,all,participating}",
        "pulls_url", "/pulls{/number}",
        "releases_url", "/releases{/id}",
        "stargazers_url", "/stargazers",
        "statuses_url", "/statuses/{sha}",
        "subscribers_url", "/subscribers",
        "subscription_url", "/subscription",
        "tags_url", "/tags",
        "teams_url", "/teams",
        "trees_url", "/git/trees{/sha}",
    };

    String repoUrl(Repo r) {
        return api + "/repos/" + r.name.owner() + "/" + r.name.name();
    }

    /** full-repository (GET /repos/{owner}/{repo}); the same object serves as "repository" elsewhere. */
    ObjectNode repository(Repo r) {
        ObjectNode n = F.objectNode();
        String url = repoUrl(r);
        n.put("id", r.id);
        n.put("node_id", nodeId("Repository", r.id));
        n.put("name", r.name.name());
        n.put("full_name", r.name.fullName());
        n.put("private", true);
        n.set("owner", user(r.owner));
        n.put("html_url", html + "/" + r.name.fullName());
        n.putNull("description");
        n.put("fork", false);
        n.put("url", url);
        for (int i = 0; i < REPO_URLS.length; i += 2) {
            n.put(REPO_URLS[i], url + REPO_URLS[i + 1]);
        }
        n.put("created_at", time(r.createdAt));
        n.put("updated_at", time(r.pushedAt));
        n.put("pushed_at", time(r.pushedAt));
        n.put("git_url", "git://stand-in/" + r.name.fullName() + ".git");
        n.put("ssh_url", "git@stand-in:" + r.name.fullName() + ".git");
        n.put("clone_url", html + "/" + r.name.fullName() + ".git");
        n.put("svn_url", html + "/" + r.name.fullName());
        n.putNull("homepage");
        n.putNull("mirror_url");
        n.put("size", 1);
        n.put("stargazers_count", 0);
        n.put("watchers_count", 0);
        n.putNull("language");
        n.put("has_issues", true);
        n.put("has_projects", false);
        n.put("has_downloads", false);
        n.put("has_wiki", false);
        n.put("has_pages", false);
        n.put("has_discussions", false);
        n.put("forks_count", 0);
        n.put("archived", false);
        n.put("disabled", false);
        long open = r.pulls.values().stream().filter(p -> p.open).count();
        n.put("open_issues_count", open);
        n.putNull("license");
        n.put("allow_forking", false);
        n.put("is_template", false);
        n.putArray("topics");
        n.put("visibility", "private");
        n.put("forks", 0);
        n.put("open_issues", open);
        n.put("watchers", 0);
        n.put("default_branch", r.defaultBranch);
        n.put("network_count", 0);
        n.put("subscribers_count", 0);
        n.put("allow_merge_commit", r.allowMergeCommit);
        n.put("allow_squash_merge", r.allowSquashMerge);
        n.put("allow_rebase_merge", r.allowRebaseMerge);
        n.put("delete_branch_on_merge", false);
        ObjectNode perms = n.putObject("permissions");
        perms.put("admin", false);
        perms.put("maintain", false);
        perms.put("push", true);
        perms.put("triage", true);
        perms.put("pull", true);
        return n;
    }

    ObjectNode label(Repo r, Label l) {
        ObjectNode n = F.objectNode();
        n.put("id", l.id);
        n.put("node_id", nodeId("Label", l.id));
        n.put("url", repoUrl(r) + "/labels/" + enc(l.name));
        n.put("name", l.name);
        n.put("color", l.color);
        n.put("default", false);
        n.putNull("description");
        return n;
    }

    ArrayNode labels(Repo r, Pull p) {
        ArrayNode a = F.arrayNode();
        for (String name : p.labels) {
            a.add(label(r, r.labels.get(name)));
        }
        return a;
    }

    private static ObjectNode href(String url) {
        ObjectNode n = F.objectNode();
        n.put("href", url);
        return n;
    }

    private ObjectNode side(Repo r, String branch, String sha) {
        ObjectNode n = F.objectNode();
        n.put("label", r.name.owner() + ":" + branch);
        n.put("ref", branch);
        n.put("sha", sha);
        n.set("user", user(r.owner));
        n.set("repo", repository(r));
        return n;
    }

    /** Mergeability as GitHub reports it for a single pull request read. */
    record Mergeability(Boolean mergeable, String state, String testMergeSha) {}

    /** pull-request (single read, also webhook payloads); {@code full=false} gives the list shape. */
    ObjectNode pull(Repo r, Pull p, Mergeability m, boolean full) {
        ObjectNode n = F.objectNode();
        String url = repoUrl(r) + "/pulls/" + p.number;
        String issueUrl = repoUrl(r) + "/issues/" + p.number;
        String htmlUrl = html + "/" + r.name.fullName() + "/pull/" + p.number;
        n.put("url", url);
        n.put("id", p.id);
        n.put("node_id", nodeId("PullRequest", p.id));
        n.put("html_url", htmlUrl);
        n.put("diff_url", htmlUrl + ".diff");
        n.put("patch_url", htmlUrl + ".patch");
        n.put("issue_url", issueUrl);
        n.put("number", p.number);
        n.put("state", p.open ? "open" : "closed");
        n.put("locked", false);
        n.put("title", p.title);
        n.set("user", user(p.author));
        n.put("body", p.body);
        n.set("labels", labels(r, p));
        n.putNull("milestone");
        n.putNull("active_lock_reason");
        n.put("created_at", time(p.createdAt));
        n.put("updated_at", time(p.updatedAt));
        n.put("closed_at", time(p.closedAt));
        n.put("merged_at", time(p.mergedAt));
        n.put("merge_commit_sha", p.merged ? p.mergeCommitSha : m.testMergeSha());
        n.putNull("assignee");
        n.putArray("assignees");
        n.putArray("requested_reviewers");
        n.putArray("requested_teams");
        n.put("commits_url", url + "/commits");
        n.put("review_comments_url", url + "/comments");
        n.put("review_comment_url", repoUrl(r) + "/pulls/comments{/number}");
        n.put("comments_url", issueUrl + "/comments");
        n.put("statuses_url", repoUrl(r) + "/statuses/" + p.headSha);
        n.set("head", side(r, p.headBranch, p.headSha));
        n.set("base", side(r, p.baseBranch, p.baseSha));
        ObjectNode links = n.putObject("_links");
        links.set("self", href(url));
        links.set("html", href(htmlUrl));
        links.set("issue", href(issueUrl));
        links.set("comments", href(issueUrl + "/comments"));
        links.set("review_comments", href(url + "/comments"));
        links.set("review_comment", href(repoUrl(r) + "/pulls/comments{/number}"));
        links.set("commits", href(url + "/commits"));
        links.set("statuses", href(repoUrl(r) + "/statuses/" + p.headSha));
        n.put("author_association", p.author.login.equals(r.owner.login) ? "OWNER" : "MEMBER");
        n.putNull("auto_merge");
        n.put("draft", p.draft);
        if (full) {
            n.put("merged", p.merged);
            if (m.mergeable() == null) {
                n.putNull("mergeable");
            } else {
                n.put("mergeable", m.mergeable());
            }
            n.putNull("rebaseable");
            n.put("mergeable_state", m.state());
            if (p.mergedBy == null) {
                n.putNull("merged_by");
            } else {
                n.set("merged_by", user(p.mergedBy));
            }
            n.put("comments", p.comments.size());
            n.put("review_comments", 0);
            n.put("maintainer_can_modify", false);
            n.put("commits", 1);
            n.put("additions", 0);
            n.put("deletions", 0);
            n.put("changed_files", 0);
        }
        return n;
    }

    /** The issue side of a pull request (GET /issues/{n}, issue_comment payloads). */
    ObjectNode issue(Repo r, Pull p) {
        ObjectNode n = F.objectNode();
        String url = repoUrl(r) + "/issues/" + p.number;
        String htmlUrl = html + "/" + r.name.fullName() + "/pull/" + p.number;
        n.put("url", url);
        n.put("repository_url", repoUrl(r));
        n.put("labels_url", url + "/labels{/name}");
        n.put("comments_url", url + "/comments");
        n.put("events_url", url + "/events");
        n.put("html_url", htmlUrl);
        n.put("id", p.id + 1_000_000L);
        n.put("node_id", nodeId("Issue", p.id));
        n.put("number", p.number);
        n.put("title", p.title);
        n.set("user", user(p.author));
        n.set("labels", labels(r, p));
        n.put("state", p.open ? "open" : "closed");
        n.put("locked", false);
        n.putNull("assignee");
        n.putArray("assignees");
        n.putNull("milestone");
        n.put("comments", p.comments.size());
        n.put("created_at", time(p.createdAt));
        n.put("updated_at", time(p.updatedAt));
        n.put("closed_at", time(p.closedAt));
        n.put("author_association", p.author.login.equals(r.owner.login) ? "OWNER" : "MEMBER");
        n.putNull("active_lock_reason");
        n.put("draft", p.draft);
        ObjectNode pr = n.putObject("pull_request");
        pr.put("url", repoUrl(r) + "/pulls/" + p.number);
        pr.put("html_url", htmlUrl);
        pr.put("diff_url", htmlUrl + ".diff");
        pr.put("patch_url", htmlUrl + ".patch");
        pr.put("merged_at", time(p.mergedAt));
        n.put("body", p.body);
        n.set("reactions", reactions(url));
        return n;
    }

    private static ObjectNode reactions(String url) {
        ObjectNode n = F.objectNode();
        n.put("url", url + "/reactions");
        n.put("total_count", 0);
        for (String k : new String[] {"+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"}) {
            n.put(k, 0);
        }
        return n;
    }

    ObjectNode comment(Repo r, Comment c) {
        ObjectNode n = F.objectNode();
        String url = repoUrl(r) + "/issues/comments/" + c.id;
        n.put("url", url);
        n.put("html_url", html + "/" + r.name.fullName() + "/pull/" + c.issueNumber + "#issuecomment-" + c.id);
        n.put("issue_url", repoUrl(r) + "/issues/" + c.issueNumber);
        n.put("id", c.id);
        n.put("node_id", nodeId("IssueComment", c.id));
        n.set("user", user(c.user));
        n.put("created_at", time(c.createdAt));
        n.put("updated_at", time(c.updatedAt));
        n.put("author_association", c.user.login.equals(r.owner.login) ? "OWNER" : "NONE");
        n.put("body", c.body);
        n.set("reactions", reactions(url));
        n.putNull("performed_via_github_app");
        return n;
    }

    ObjectNode review(Repo r, Pull p, Review v) {
        ObjectNode n = F.objectNode();
        String prUrl = repoUrl(r) + "/pulls/" + p.number;
        String htmlUrl = html + "/" + r.name.fullName() + "/pull/" + p.number + "#pullrequestreview-" + v.id;
        n.put("id", v.id);
        n.put("node_id", nodeId("PullRequestReview", v.id));
        n.set("user", user(v.user));
        n.put("body", v.body);
        n.put("state", v.state);
        n.put("html_url", htmlUrl);
        n.put("pull_request_url", prUrl);
        ObjectNode links = n.putObject("_links");
        links.set("html", href(htmlUrl));
        links.set("pull_request", href(prUrl));
        n.put("submitted_at", time(v.submittedAt));
        n.put("commit_id", v.commitId);
        n.put("author_association", v.user.login.equals(r.owner.login) ? "OWNER" : "MEMBER");
        return n;
    }

    ObjectNode diffEntry(Repo r, GitStore.FileDiff d, String headSha) {
        ObjectNode n = F.objectNode();
        n.put("sha", d.blob().name());
        n.put("filename", d.path());
        n.put("status", d.status());
        n.put("additions", d.additions());
        n.put("deletions", d.deletions());
        n.put("changes", d.additions() + d.deletions());
        n.put("blob_url", html + "/" + r.name.fullName() + "/blob/" + headSha + "/" + d.path());
        n.put("raw_url", html + "/" + r.name.fullName() + "/raw/" + headSha + "/" + d.path());
        n.put("contents_url", repoUrl(r) + "/contents/" + d.path() + "?ref=" + headSha);
        if (d.previousPath() != null) {
            n.put("previous_filename", d.previousPath());
        }
        return n;
    }

    ObjectNode integration(App a) {
        ObjectNode n = F.objectNode();
        n.put("id", a.id);
        n.put("slug", a.slug);
        n.put("client_id", "Iv1." + Long.toHexString(a.id * 7919L));
        n.put("node_id", nodeId("Integration", a.id));
        n.set("owner", user(a.owner));
        n.put("name", a.slug);
        n.putNull("description");
        n.put("external_url", html + "/apps/" + a.slug);
        n.put("html_url", html + "/apps/" + a.slug);
        n.put("created_at", time(a.createdAt));
        n.put("updated_at", time(a.createdAt));
        ObjectNode perms = n.putObject("permissions");
        for (String k : new String[] {"checks", "contents", "issues", "pull_requests", "members"}) {
            perms.put(k, "write");
        }
        perms.put("metadata", "read");
        ArrayNode events = n.putArray("events");
        events.add("pull_request");
        events.add("pull_request_review");
        events.add("issue_comment");
        n.put("installations_count", 1);
        return n;
    }

    ObjectNode installation(Installation i) {
        ObjectNode n = F.objectNode();
        n.put("id", i.id);
        n.set("account", user(i.account));
        n.put("repository_selection", "selected");
        n.put("access_tokens_url", api + "/app/installations/" + i.id + "/access_tokens");
        n.put("repositories_url", api + "/installation/repositories");
        n.put("html_url", html + "/settings/installations/" + i.id);
        n.put("app_id", i.app.id);
        n.put("app_slug", i.app.slug);
        n.put("target_id", i.account.id);
        n.put("target_type", i.account.type);
        ObjectNode perms = n.putObject("permissions");
        for (String k : new String[] {"checks", "contents", "issues", "pull_requests", "members"}) {
            perms.put(k, "write");
        }
        perms.put("metadata", "read");
        ArrayNode events = n.putArray("events");
        events.add("pull_request");
        events.add("pull_request_review");
        events.add("issue_comment");
        n.put("created_at", time(i.createdAt));
        n.put("updated_at", time(i.createdAt));
        n.putNull("single_file_name");
        n.putNull("suspended_by");
        n.putNull("suspended_at");
        return n;
    }

    ObjectNode checkRun(Repo r, CheckRun c) {
        ObjectNode n = F.objectNode();
        String url = repoUrl(r) + "/check-runs/" + c.id;
        n.put("id", c.id);
        n.put("head_sha", c.headSha);
        n.put("node_id", nodeId("CheckRun", c.id));
        n.put("external_id", c.externalId == null ? "" : c.externalId);
        n.put("url", url);
        n.put("html_url", html + "/" + r.name.fullName() + "/runs/" + c.id);
        n.put("details_url", c.detailsUrl == null ? html + "/" + r.name.fullName() + "/runs/" + c.id : c.detailsUrl);
        n.put("status", c.status);
        n.put("conclusion", c.conclusion);
        n.put("started_at", time(c.startedAt));
        n.put("completed_at", time(c.completedAt));
        ObjectNode out = n.putObject("output");
        out.put("title", c.title);
        out.put("summary", c.summary);
        out.put("text", c.text);
        out.put("annotations_count", 0);
        out.put("annotations_url", url + "/annotations");
        n.put("name", c.name);
        n.putObject("check_suite").put("id", c.suiteId);
        n.set("app", integration(c.app));
        n.putArray("pull_requests");
        return n;
    }

    ObjectNode gitRef(Repo r, String fullRef, ObjectId sha) {
        ObjectNode n = F.objectNode();
        n.put("ref", fullRef);
        n.put("node_id", nodeId("Ref", fullRef.hashCode() & 0xffffffffL));
        n.put("url", repoUrl(r) + "/git/" + fullRef);
        ObjectNode o = n.putObject("object");
        o.put("type", "commit");
        o.put("sha", sha.name());
        o.put("url", repoUrl(r) + "/git/commits/" + sha.name());
        return n;
    }

    ObjectNode contentFile(Repo r, String path, String ref, GitStore.Blob blob, boolean withContent) {
        ObjectNode n = F.objectNode();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String self = repoUrl(r) + "/contents/" + path + "?ref=" + enc(ref);
        String git = repoUrl(r) + "/git/blobs/" + blob.id().name();
        String htmlUrl = html + "/" + r.name.fullName() + "/blob/" + ref + "/" + path;
        n.put("type", "file");
        n.put("size", blob.bytes().length);
        n.put("name", name);
        n.put("path", path);
        n.put("sha", blob.id().name());
        n.put("url", self);
        n.put("git_url", git);
        n.put("html_url", htmlUrl);
        n.put("download_url", html + "/" + r.name.fullName() + "/raw/" + ref + "/" + path);
        if (withContent) {
            // GitHub wraps the base64 body at 60 columns with "\n".
            n.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(blob.bytes()) + "\n");
            n.put("encoding", "base64");
        }
        ObjectNode links = n.putObject("_links");
        links.put("self", self);
        links.put("git", git);
        links.put("html", htmlUrl);
        return n;
    }

    ObjectNode contentEntry(Repo r, String path, String ref, boolean dir) {
        ObjectNode n = F.objectNode();
        String self = repoUrl(r) + "/contents/" + path + "?ref=" + enc(ref);
        n.put("type", dir ? "dir" : "file");
        n.put("size", 0);
        n.put("name", path.substring(path.lastIndexOf('/') + 1));
        n.put("path", path);
        n.put("sha", ObjectId.zeroId().name());
        n.put("url", self);
        n.putNull("git_url");
        n.put("html_url", html + "/" + r.name.fullName() + "/tree/" + ref + "/" + path);
        n.putNull("download_url");
        ObjectNode links = n.putObject("_links");
        links.put("self", self);
        links.putNull("git");
        links.put("html", html + "/" + r.name.fullName() + "/tree/" + ref + "/" + path);
        return n;
    }

    /** The "commit" member of file-commit responses. */
    ObjectNode gitCommit(Repo r, RevCommit c) {
        ObjectNode n = F.objectNode();
        n.put("sha", c.name());
        n.put("node_id", nodeId("Commit", c.name().hashCode() & 0xffffffffL));
        n.put("url", repoUrl(r) + "/git/commits/" + c.name());
        n.put("html_url", html + "/" + r.name.fullName() + "/commit/" + c.name());
        n.set("author", ident(c.getAuthorIdent()));
        n.set("committer", ident(c.getCommitterIdent()));
        n.put("message", c.getFullMessage());
        ObjectNode tree = n.putObject("tree");
        tree.put("url", repoUrl(r) + "/git/trees/" + c.getTree().name());
        tree.put("sha", c.getTree().name());
        ArrayNode parents = n.putArray("parents");
        for (RevCommit p : c.getParents()) {
            ObjectNode pn = parents.addObject();
            pn.put("url", repoUrl(r) + "/git/commits/" + p.name());
            pn.put("html_url", html + "/" + r.name.fullName() + "/commit/" + p.name());
            pn.put("sha", p.name());
        }
        ObjectNode v = n.putObject("verification");
        v.put("verified", false);
        v.put("reason", "unsigned");
        v.putNull("signature");
        v.putNull("payload");
        v.putNull("verified_at");
        return n;
    }

    /** An item of GET /repos/{o}/{r}/commits: the "commit" schema without stats and files. */
    ObjectNode commitItem(Repo r, RevCommit c, User author, User committer) {
        ObjectNode n = F.objectNode();
        n.put("url", repoUrl(r) + "/commits/" + c.name());
        n.put("sha", c.name());
        n.put("node_id", nodeId("Commit", c.name().hashCode() & 0xffffffffL));
        n.put("html_url", html + "/" + r.name.fullName() + "/commit/" + c.name());
        n.put("comments_url", repoUrl(r) + "/commits/" + c.name() + "/comments");
        ObjectNode commit = n.putObject("commit");
        commit.put("url", repoUrl(r) + "/git/commits/" + c.name());
        commit.set("author", ident(c.getAuthorIdent()));
        commit.set("committer", ident(c.getCommitterIdent()));
        commit.put("message", c.getFullMessage());
        commit.put("comment_count", 0);
        ObjectNode tree = commit.putObject("tree");
        tree.put("url", repoUrl(r) + "/git/trees/" + c.getTree().name());
        tree.put("sha", c.getTree().name());
        if (author == null) {
            n.putNull("author");
        } else {
            n.set("author", user(author));
        }
        if (committer == null) {
            n.putNull("committer");
        } else {
            n.set("committer", user(committer));
        }
        ArrayNode parents = n.putArray("parents");
        for (RevCommit p : c.getParents()) {
            ObjectNode pn = parents.addObject();
            pn.put("url", repoUrl(r) + "/commits/" + p.name());
            pn.put("html_url", html + "/" + r.name.fullName() + "/commit/" + p.name());
            pn.put("sha", p.name());
        }
        return n;
    }

    private static ObjectNode ident(org.eclipse.jgit.lib.PersonIdent p) {
        ObjectNode n = F.objectNode();
        n.put("name", p.getName());
        n.put("email", p.getEmailAddress());
        n.put("date", time(p.getWhenAsInstant()));
        return n;
    }

    ObjectNode rateLimit(long limit, long remaining, long used, long reset) {
        ObjectNode n = F.objectNode();
        ObjectNode res = n.putObject("resources");
        ObjectNode core = rate(limit, remaining, used, reset);
        res.set("core", core);
        res.set("search", rate(30, 30, 0, reset));
        res.set("graphql", rate(5000, 5000, 0, reset));
        n.set("rate", core.deepCopy());
        return n;
    }

    private static ObjectNode rate(long limit, long remaining, long used, long reset) {
        ObjectNode n = F.objectNode();
        n.put("limit", limit);
        n.put("used", used);
        n.put("remaining", remaining);
        n.put("reset", reset);
        return n;
    }
}
