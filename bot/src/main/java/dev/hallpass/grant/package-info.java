/**
 * The grant lifecycle: what access must exist ({@link dev.hallpass.grant.GrantLedger}), how it is put in
 * place and taken away ({@link dev.hallpass.grant.Provider}s), and the loop that does it with retries
 * ({@link dev.hallpass.grant.GrantExecutor}).
 *
 * <p><b>Leases.</b> A {@link dev.hallpass.grant.Grant} is a lease on a {@link dev.hallpass.grant.LeaseKey}
 * (person, provider, target). Access exists while any lease on the key is live and ends when the last one
 * ends; a second overlapping grant is not cut short when the first expires. An extension is the same
 * request with a later expiry; an early revoke is the request's grant leaving the ledger.
 *
 * <p><b>Desired versus applied.</b> The ledger is rebuilt from git and says what must be true now; {@link
 * dev.hallpass.grant.AppliedGrants} records what Hallpass did. Reconciling the two is level-triggered, so
 * a missed webhook, a crash or a provider outage is repaired by the next reconcile, and every provider call
 * is idempotent so repeating one does no harm. Every grant comes from a merged request, so Hallpass owns
 * the access it was asked for: finding it already present when no record exists (an earlier process applied
 * it and its record was lost) never makes it "standing access" that would outlive the expiry.
 *
 * <p><b>Native expiry.</b> Where a target can expire access by itself, providers also set it, as a
 * backstop for Hallpass being down at expiry; the revoke remains what ends access. Commands get the expiry
 * in {@code HALLPASS_EXPIRES_AT}. GitHub teams have none. PostgreSQL has no expiring membership: its
 * {@code VALID UNTIL} is per login, covers all the login's access and is checked only at login, so the
 * postgres provider sets it only when configured with {@code native_expiry: valid_until}, meant for
 * logins used for nothing but Hallpass grants, and only ever moves it later.
 *
 * <p>Nothing here knows GitHub or git: callers build ledgers and report results.
 */
package dev.hallpass.grant;
