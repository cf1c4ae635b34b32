package io.vectorsync.migration.mode;

import io.vectorsync.core.Topics;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.BackfillProgress;
import io.vectorsync.core.mode.BackfillRequest;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.ModeDecider;
import io.vectorsync.core.mode.ModeRequest;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides mode requests from the control topic and folds backfill progress into the statuses, one record at a time:
 * both topics have one partition, so this is the only writer of the statuses and sees every request in order.
 *
 * <p>A request that can change state is decided at most once. Kafka Streams redelivers records after a crash
 * (at-least-once), and the restored store may already hold the effect of several of them; a client may also resend
 * a request with the same id. So a request is taken as already decided when its offset is at or below the stored
 * position, or when its id is the last request of a collection it names. It is then not decided again (that could
 * apply it against a state it was never meant for) but re-published: the current status of each collection it names,
 * its answer while a collection still holds it, and its backfills. Re-publishing is harmless, the status topic keeps
 * the latest value per key and these are the latest, and it is needed: after a crash the store's changelog may hold
 * a change whose status record never reached the status topic. Unreadable messages and dry runs change nothing and
 * are simply answered again.
 */
final class ModeControlProcessor implements Processor<String, String, String, ModeOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(ModeControlProcessor.class);

    private final Topics topics;
    private final MappingConfig mappings;
    private final ModeDecider decider;
    private final LongSupplier clock;

    private ProcessorContext<String, ModeOutput> context;
    private ModeStore store;
    private Cancellable startup;

    ModeControlProcessor(Topics topics, MappingConfig mappings, CutoverGate gate, LongSupplier clock) {
        this.topics = topics;
        this.mappings = mappings;
        this.decider = new ModeDecider(mappings, gate, clock);
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, ModeOutput> context) {
        this.context = context;
        this.store = new ModeStore(context.getStateStore(ModeControlTopology.STORE));
        // Nothing may be forwarded from init(); a wall-clock punctuator first runs once the task is running, which
        // is after the store was restored.
        this.startup = context.schedule(ModeControlTopology.STARTUP_DELAY, PunctuationType.WALL_CLOCK_TIME,
                now -> publishAll());
    }

    @Override
    public void process(Record<String, String> record) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        String topic = meta.map(RecordMetadata::topic).orElse("");
        if (topic.equals(topics.control()) || topics.controlPrincipal(topic).isPresent()) {
            control(record, topic, meta.get().partition(), meta.get().offset());
        } else if (topic.equals(topics.backfillProgress())) {
            progress(record);
        } else {
            LOG.warn("record from unexpected topic '{}' ignored", topic);
        }
    }

    /** Every migrating collection's status, the stored one or the initial one, so readers see them all. */
    private void publishAll() {
        startup.cancel();
        Map<String, ModeStatus> stored = store.statuses();
        long now = clock.getAsLong();
        int initial = 0;
        for (var entry : mappings.migrations().entrySet()) {
            ModeStatus status = stored.get(entry.getKey());
            if (status == null) {
                status = ModeStatus.initial(entry.getKey(), entry.getValue(), now);
                store.put(status);
                initial++;
            }
            emit(status, now);
        }
        LOG.info("mode controller published {} statuses ({} initial)", mappings.migrations().size(), initial);
    }

    /**
     * A request on an operator's own control topic is recorded as sent by that principal, whatever it declares:
     * only that principal may write there (docs/security.md). On the shared topic the declared requester stands.
     */
    private void control(Record<String, String> record, String topic, int partition, long offset) {
        Optional<String> principal = topics.controlPrincipal(topic);
        boolean shared = principal.isEmpty();
        if (record.value() == null) {
            // A tombstone on the compacted control topic removes an old request; it asks for nothing.
            LOG.debug("tombstone at control offset {} ignored", offset);
            return;
        }
        String fallbackId = "control-" + principal.map(p -> p + "-").orElse("") + partition + "-" + offset;
        ModeRequest.Parsed parsed;
        try {
            parsed = ModeRequest.parse(record.value(), fallbackId);
        } catch (RuntimeException e) {
            parsed = new ModeRequest.Parsed(null, fallbackId, List.of("could not read the request: " + e));
        }
        if (!parsed.ok()) {
            RequestOutcome outcome = decider.unreadable(parsed.requestId(), parsed.problems(), store.newestEpoch());
            LOG.warn("control message at offset {} is not a mode request, refused: {}", offset, parsed.problems());
            emit(outcome, outcome.atMs());
            return;
        }
        ModeRequest request = parsed.request();
        if (principal.isPresent()) {
            String authenticated = "User:" + principal.get();
            if (!authenticated.equals(request.requestedBy())) {
                LOG.info("request {} on {} declares requested_by '{}'; recorded as {}, who alone may write there",
                        request.requestId(), topic, request.requestedBy(), authenticated);
            }
            request = request.requestedBy(authenticated);
        }
        if (!request.dryRun() && (offset <= store.decidedThrough(topic, shared) || decidedBefore(request))) {
            republish(request, offset);
            return;
        }
        decide(request);
        store.decided(topic, shared, offset);
    }

    private void decide(ModeRequest request) {
        ModeDecider.Decision decision;
        try {
            decision = decider.decide(request, store.statuses());
        } catch (RuntimeException e) {
            // The gate reads live lag and validation figures and may fail; that is a refusal, not a dead thread.
            LOG.error("request {} could not be decided", request.requestId(), e);
            RequestOutcome outcome = decider.undecidable(request, "could not decide: " + e, store.newestEpoch());
            emit(outcome, outcome.atMs());
            return;
        }
        RequestOutcome outcome = decision.outcome();
        long now = outcome.atMs();
        for (ModeStatus status : decision.changed()) {
            store.put(status);
            emit(status, now);
        }
        emit(outcome, now);
        for (BackfillRequest backfill : decision.backfills()) {
            emit(backfill, now);
        }
        if (outcome.result() == RequestOutcome.Result.APPLIED) {
            LOG.info("request {} by {} applied at epoch {}: {}{}", outcome.requestId(), outcome.requestedBy(),
                    outcome.epoch(), outcome.actions(), outcome.forced() ? "; forced past " + outcome.reasons() : "");
        } else {
            LOG.info("request {} by {} ({} -> {}): {} {}{}", outcome.requestId(), outcome.requestedBy(),
                    outcome.collection(), outcome.mode(), outcome.result(), outcome.reasons(),
                    outcome.actions().isEmpty() ? "" : " " + outcome.actions());
        }
    }

    private boolean decidedBefore(ModeRequest request) {
        return named(request).stream().map(store::status).flatMap(Optional::stream)
                .anyMatch(s -> s.lastRequest() != null && request.requestId().equals(s.lastRequest().requestId()));
    }

    private void republish(ModeRequest request, long offset) {
        long now = clock.getAsLong();
        List<ModeStatus> statuses = named(request).stream().map(store::status).flatMap(Optional::stream).toList();
        statuses.forEach(s -> emit(s, now));
        Optional<RequestOutcome> answer = statuses.stream().map(ModeStatus::lastRequest)
                .filter(o -> o != null && request.requestId().equals(o.requestId())).findFirst();
        answer.ifPresent(o -> emit(o, now));
        if (answer.isPresent() && answer.get().result() == RequestOutcome.Result.APPLIED) {
            // The connector takes a backfill id it already knows as a duplicate, so asking again is harmless.
            statuses.stream().filter(s -> s.epoch() == answer.get().epoch() && s.backfill() != null
                    && s.backfill().running()).forEach(s -> mappings.collection(s.collection()).ifPresent(m ->
                    emit(s.backfill().request(s.collection(), m.table().toString()), now)));
        }
        LOG.info("request {} at control offset {} was decided before; re-published {} statuses{}",
                request.requestId(), offset, statuses.size(), answer.isPresent() ? " and its answer" : "");
    }

    private List<String> named(ModeRequest request) {
        return request.forAll() ? List.copyOf(mappings.migrations().keySet()) : List.of(request.collection());
    }

    private void progress(Record<String, String> record) {
        if (record.value() == null) {
            LOG.debug("tombstone on the backfill progress topic for '{}' ignored", record.key());
            return;
        }
        BackfillProgress progress;
        try {
            progress = Json.read(record.value(), BackfillProgress.class);
        } catch (RuntimeException e) {
            LOG.warn("unreadable backfill progress for '{}' ignored: {}", record.key(), e.getMessage());
            return;
        }
        if (progress == null || progress.backfillId() == null || progress.state() == null) {
            LOG.warn("backfill progress for '{}' without backfill_id or state ignored", record.key());
            return;
        }
        String collection = record.key() != null ? record.key() : progress.collection();
        Optional<ModeStatus> status = collection == null ? Optional.empty() : store.status(collection);
        Backfill current = status.map(ModeStatus::backfill).orElse(null);
        if (current == null || !current.id().equals(progress.backfillId())) {
            LOG.debug("progress of backfill {} ignored: '{}' is not running it", progress.backfillId(), collection);
            return;
        }
        Backfill next = current.with(progress);
        if (next.equals(current)) {
            return;
        }
        ModeStatus updated = status.get().withBackfill(next);
        store.put(updated);
        emit(updated, clock.getAsLong());
        if (next.state() != current.state()) {
            LOG.info("backfill {} of {} {}", next.id(), collection, next.describe());
        } else {
            LOG.debug("backfill {} of {} {}", next.id(), collection, next.describe());
        }
    }

    private void emit(ModeStatus status, long timestamp) {
        context.forward(new Record<>(status.collection(), ModeOutput.status(Json.write(status)), timestamp));
    }

    private void emit(RequestOutcome outcome, long timestamp) {
        context.forward(new Record<>(Topics.REQUESTS_KEY, ModeOutput.status(Json.write(outcome)), timestamp));
    }

    private void emit(BackfillRequest backfill, long timestamp) {
        context.forward(new Record<>(backfill.collection(), ModeOutput.backfill(Json.write(backfill)), timestamp));
    }
}
