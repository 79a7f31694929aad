package dev.hallpass.grant;

/** What a provider found when asked whether a person has a target. */
public enum Presence {
    PRESENT,
    ABSENT,
    /** The provider could not tell (unreachable, or the target cannot be inspected). */
    UNKNOWN
}
