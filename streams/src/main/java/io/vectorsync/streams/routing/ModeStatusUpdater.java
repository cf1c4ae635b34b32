package io.vectorsync.streams.routing;

import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.StatusSuccession;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Keeps the latest readable {@link ModeStatus} of each collection from the status topic in a global store. Kafka
 * Streams also runs it when it rebuilds the store at start-up, so a restarted worker skips the same records.
 * Anything else on the topic is skipped and the collection keeps its previous mode: the answers to requests under
 * {@link Topics#REQUESTS_KEY}, tombstones, values that are not a status, and a status that may not follow the one
 * held ({@link StatusSuccession}: an older epoch, or another mode under the same epoch — replayed or forged).
 */
public final class ModeStatusUpdater implements Processor<String, String, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ModeStatusUpdater.class);

    private final String modesStore;
    private KeyValueStore<String, ModeStatus> modes;

    public ModeStatusUpdater(String modesStore) {
        this.modesStore = modesStore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.modes = context.getStateStore(modesStore);
    }

    @Override
    public void process(Record<String, String> record) {
        String collection = record.key();
        if (collection == null || Topics.REQUESTS_KEY.equals(collection) || record.value() == null) {
            return;
        }
        ModeStatus status;
        try {
            status = ModeStatus.read(collection, record.value());
        } catch (RuntimeException e) {
            // An exception here would stop the global thread, and with it every stream thread of the worker.
            LOG.warn("ignoring the status under key '{}': {}; it keeps its previous mode", collection,
                    e.getMessage());
            return;
        }
        ModeStatus previous = modes.get(collection);
        Optional<String> refusal = StatusSuccession.refusal(previous, status);
        if (refusal.isPresent()) {
            LOG.warn("ignoring the status of collection '{}' (epoch {}, routed under epoch {}): {}; a replayed or"
                    + " forged record, not written by the mode controller in order", collection, status.epoch(),
                    previous.epoch(), refusal.get());
            return;
        }
        modes.put(collection, status);
        if (previous == null || previous.mode() != status.mode() || previous.epoch() != status.epoch()) {
            LOG.info("collection '{}' is now routed as {} (epoch {})", collection, status.mode(), status.epoch());
        }
    }
}
