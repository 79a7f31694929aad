package dev.hallpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one policy evaluation: a defined value, undefined, or an error. */
public sealed interface PolicyResult permits PolicyResult.Defined, PolicyResult.Undefined, PolicyResult.Failed {

    /** The decision id OPA assigned, when it logs decisions. */
    Optional<String> decisionId();

    record Defined(JsonNode value, Optional<String> decisionId) implements PolicyResult {
        public Defined {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(decisionId, "decisionId");
        }
    }

    record Undefined(Optional<String> decisionId) implements PolicyResult {
        public Undefined {
            Objects.requireNonNull(decisionId, "decisionId");
        }
    }

    /**
     * Evaluation failed.
     *
     * @param kind what failed, for the fail-closed message and for retries
     * @param code OPA's code ({@code internal_error}, {@code invalid_parameter}, {@code eval_conflict_error}...)
     *     or ours ({@code engine_unreachable}, {@code engine_timeout}, {@code budget_exceeded})
     * @param errors the individual errors OPA listed, if any
     */
    record Failed(Kind kind, String code, String message, List<Detail> errors) implements PolicyResult {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            errors = List.copyOf(errors);
        }

        @Override
        public Optional<String> decisionId() {
            return Optional.empty();
        }

        /** One line for a check run or a log. */
        public String describe() {
            StringBuilder sb = new StringBuilder(code).append(": ").append(message);
            for (Detail d : errors) {
                sb.append("; ").append(d.describe());
            }
            return sb.toString();
        }
    }

    enum Kind {
        /** The engine could not be reached (connection refused, DNS, TLS). */
        UNREACHABLE,
        /** The engine did not answer in time. */
        TIMEOUT,
        /** The engine answered with an error: bad request, evaluation error, server error. */
        ERROR,
        /** The policy itself is broken: parse or compile error. */
        POLICY,
        /** Evaluation ran out of its step, depth or time budget. */
        BUDGET
    }

    /** One error from OPA's {@code errors} list, with its location when given. */
    record Detail(String code, String message, Optional<String> file, int row, int col) {
        public String describe() {
            return file.map(f -> f + ":" + row + ":" + col + ": ").orElse("") + code + ": " + message;
        }
    }
}
