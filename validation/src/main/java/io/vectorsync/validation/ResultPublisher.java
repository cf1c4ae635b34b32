package io.vectorsync.validation;

import io.vectorsync.core.validation.ValidationResult;

import java.util.List;

/** Where finished validation results go: the compacted validation topic, which the cutover gate reads. */
@FunctionalInterface
public interface ResultPublisher {

    /** @throws ResultPublishException when the results could not be published */
    void publish(List<ValidationResult> results);
}
