package io.vectorsync.validation;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.validation.ValidationResult;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.api.SinkUnavailableException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Validates the selected collections one after the other ({@link ValidationRun}), builds the report and, when every
 * collection finished, publishes one {@link ValidationResult} per collection and store for the cutover gate.
 */
public final class Validator {
    private final ValidationContext context;
    private final Function<CollectionMapping, SourceTable> sources;
    private final Map<SinkName, SinkReader> readers;
    private final ResultPublisher publisher;

    /**
     * @param sources opens the source table of a collection; closed after its run
     * @param readers a reader for every store any target compares; owned by the caller
     */
    public Validator(ValidationContext context, Function<CollectionMapping, SourceTable> sources,
                     Map<SinkName, SinkReader> readers, ResultPublisher publisher) {
        this.context = context;
        this.sources = sources;
        this.readers = readers;
        this.publisher = publisher;
    }

    /**
     * What a validation found: the report when every collection finished (empty when the page hook stopped one),
     * and per collection and store the differing documents with their source keys, for a repair.
     */
    public record Result(Optional<ValidationReport> report, Map<String, Map<SinkName, StoreTally>> tallies) {
    }

    /**
     * @param sample  rows to sample per collection, 0 for a full scan
     * @param restart discard checkpoints rather than resume from them
     */
    public Result validate(List<Selection.Target> targets, int sample, boolean restart)
            throws SinkUnavailableException, InterruptedException {
        String runId = UUID.randomUUID().toString();
        long startedAt = context.clock().getAsLong();
        List<CollectionReport> reports = new ArrayList<>();
        Map<String, Map<SinkName, StoreTally>> tallies = new LinkedHashMap<>();
        for (Selection.Target target : targets) {
            Map<SinkName, SinkReader> stores = new LinkedHashMap<>();
            target.stores().forEach(s -> stores.put(s, readers.get(s)));
            ValidationRun.Outcome outcome;
            try (SourceTable source = sources.apply(target.mapping())) {
                outcome = new ValidationRun(context, target.mapping(), source, stores).run(runId, sample, restart);
            }
            tallies.put(target.mapping().name(), outcome.tallies());
            if (outcome.report().isEmpty()) {
                return new Result(Optional.empty(), tallies);
            }
            reports.add(outcome.report().get());
        }
        long finishedAt = context.clock().getAsLong();
        ValidationReport report = new ValidationReport(runId, sample == 0, sample, context.config().driftMax(),
                context.config().recheckDelay().toMillis(), Instant.ofEpochMilli(startedAt).toString(),
                Instant.ofEpochMilli(finishedAt).toString(), reports.stream().allMatch(CollectionReport::clean),
                reports);
        publisher.publish(results(report, finishedAt));
        return new Result(Optional.of(report), tallies);
    }

    static List<ValidationResult> results(ValidationReport report, long finishedAtMs) {
        List<ValidationResult> results = new ArrayList<>();
        for (CollectionReport c : report.collections()) {
            for (StoreReport s : c.stores()) {
                results.add(s.result(report.runId(), c.collection(), c.full(), finishedAtMs));
            }
        }
        return results;
    }
}
