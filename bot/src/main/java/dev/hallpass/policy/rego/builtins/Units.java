package dev.hallpass.policy.rego.builtins;

final class Units {
    private Units() {}

    static void register(Reg r) {}
}
