package dev.hallpass.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of a command may also come from an environment variable, {@code HALLPASS_} plus the option's
 * longest name in upper snake case ({@code --state-db} is {@code HALLPASS_STATE_DB}), so a container needs no
 * command line. A flag given on the command line still wins; an unset or empty variable falls back to the
 * option's own default. Secrets are never options: they are named by {@code *-env} options and read from
 * the environment by the command itself.
 */
final class EnvDefaults implements IDefaultValueProvider {
    static final String PREFIX = "HALLPASS_";

    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The variable that sets {@code option}. */
    static String variable(OptionSpec option) {
        String name = option.longestName().replaceFirst("^-+", "");
        return PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String v = env.get(variable(option));
        return v == null || v.isBlank() ? null : v;
    }
}
