/**
 * Readiness: a small registry of named checks that components report into and {@code /readyz} serves as
 * JSON (503 when any fails).
 */
package dev.hallpass.health;
