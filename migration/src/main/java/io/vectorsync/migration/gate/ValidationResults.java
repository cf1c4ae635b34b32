package io.vectorsync.migration.gate;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;

import java.util.Map;
import java.util.Optional;

/** The latest finished validation of each collection in each store. Thread-safe. */
public interface ValidationResults {

    Optional<ValidationResult> latest(String collection, SinkName store);

    /** Every latest result, by {@link ValidationResult#key()}. */
    Map<String, ValidationResult> all();

    /** No validation has ever run: for pipelines and tests without the validation topic. */
    static ValidationResults none() {
        return new ValidationResults() {
            @Override
            public Optional<ValidationResult> latest(String collection, SinkName store) {
                return Optional.empty();
            }

            @Override
            public Map<String, ValidationResult> all() {
                return Map.of();
            }
        };
    }
}
