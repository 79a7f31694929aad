package dev.hallpass.policy.rego.builtins;

final class Net {
    private Net() {}

    static void register(Reg r) {}
}
