package dev.hallpass.grant;

import java.util.List;

/** The providers of {@code hallpass.yaml} cannot be built as configured; every problem is listed. */
public final class ProviderConfigException extends RuntimeException {
    private final List<String> problems;

    public ProviderConfigException(List<String> problems) {
        super("provider configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
