/**
 * {@code serve}'s durable state in PostgreSQL, shared by every replica: the schema (Flyway, {@code
 * db/migration}), applied grants ({@link dev.hallpass.state.PgAppliedGrants}), the grant schedule and last
 * good settings ({@link dev.hallpass.state.PgRepoState}), webhook deliveries ({@link
 * dev.hallpass.state.PgDeliveryLog}), which replica leads each repository's lifecycle ({@link
 * dev.hallpass.state.Leadership}) and cluster-wide locks for other work ({@link
 * dev.hallpass.state.ClusterLocks}).
 */
package dev.hallpass.state;
