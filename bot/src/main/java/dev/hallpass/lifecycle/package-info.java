/**
 * The grant lifecycle over git: desired grants are rebuilt from the access repository's default branch
 * ({@link dev.hallpass.lifecycle.GrantSource}), carried out by the executor, and expired requests are removed
 * from git again by revert pull requests ({@link dev.hallpass.lifecycle.GrantLifecycle}).
 *
 * <p><b>State.</b> Git is the source of truth for what must exist; the executor's applied-grants store is
 * what makes a crash or an outage repairable: anything applied and not revoked is in it. Beside it a {@link
 * dev.hallpass.lifecycle.RepoStateStore} keeps the grants last read from git and the last {@code
 * hallpass.yaml}, so a replica taking over, or one started while GitHub is down, revokes on time; a {@link
 * dev.hallpass.lifecycle.StateBackend} says where all of it lives and which replica leads each repository. Open Hallpass revoke pull requests are read on every sync as withdrawals, so a {@code /hallpass
 * revoke} holds even when its pull request cannot merge.
 *
 * <p><b>Time.</b> Everything reads an injected {@link java.time.Clock}; {@link
 * dev.hallpass.lifecycle.ExpiryScheduler#runDue} lets tests drive the scheduler without sleeping.
 */
package dev.hallpass.lifecycle;
