package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** The gate's answer: open only when every condition passed. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GateVerdict(boolean open, List<Condition> conditions) {

    public GateVerdict {
        conditions = List.copyOf(conditions);
    }

    public static GateVerdict of(List<Condition> conditions) {
        return new GateVerdict(conditions.stream().allMatch(Condition::passed), conditions);
    }

    /** One checked condition, e.g. {@code target consumer lag: 1234 records, limit 100}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Condition(String name, boolean passed, String value, String threshold) {
        public String describe() {
            return name + ": " + value + " (" + (passed ? "ok, " : "") + "limit " + threshold + ")";
        }
    }

    /** The failing conditions, each described with its value and threshold. */
    public List<String> failures() {
        return conditions.stream().filter(c -> !c.passed()).map(Condition::describe).toList();
    }
}
