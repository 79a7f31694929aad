package dev.hallpass.policy.rego.builtins;

final class Glob {
    private Glob() {}

    static void register(Reg r) {}
}
