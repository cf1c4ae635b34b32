package io.vectorsync.streams.routing;

import io.vectorsync.core.Topics;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.json.JsonSerde;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.mode.RequestOutcome;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModeStatusUpdaterTest {
    private static final String STORE = "modes";

    private KeyValueStore<String, ModeStatus> modes;
    private ModeStatusUpdater updater;

    @BeforeEach
    void setUp() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        modes = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(ModeStatus.class)).withLoggingDisabled().build();
        modes.init(context.getStateStoreContext(), modes);
        context.addStateStore(modes);
        updater = new ModeStatusUpdater(STORE);
        updater.init(context);
    }

    @Test
    void latestStatusOfEachCollectionIsKept() {
        put("articles", Json.write(status("articles", StorageMode.DUAL_WRITE, 1)));
        put("articles", Json.write(status("articles", StorageMode.SHADOW, 2)));
        put("books", Json.write(status("books", StorageMode.CUTOVER, 3)));

        assertThat(modes.get("articles")).isEqualTo(status("articles", StorageMode.SHADOW, 2));
        assertThat(modes.get("books")).isEqualTo(status("books", StorageMode.CUTOVER, 3));
    }

    @Test
    void requestAnswersAreNotTakenForAStatus() {
        RequestOutcome answer = new RequestOutcome("r-1", RequestOutcome.Result.APPLIED, "articles",
                StorageMode.TARGET_ONLY, "test", 7, false, List.of(), List.of(), 0);

        put(Topics.REQUESTS_KEY, Json.write(answer));

        assertThat(modes.approximateNumEntries()).isZero();
    }

    @Test
    void tombstoneAndUnreadableValuesLeaveThePreviousStatus() {
        ModeStatus kept = status("articles", StorageMode.CUTOVER, 4);
        put("articles", Json.write(kept));

        put("articles", null);
        put("articles", "{not json");
        put("articles", "null");
        put("articles", "{\"collection\":\"articles\",\"mode\":\"WARP_SPEED\"}");
        put("articles", "{\"collection\":\"articles\",\"epoch\":5}");
        put("articles", Json.write(status("books", StorageMode.TARGET_ONLY, 5)));

        assertThat(modes.get("articles")).isEqualTo(kept);
        assertThat(modes.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void aReplayedOrForgedStatusIsNotRouted() {
        ModeStatus real = status("articles", StorageMode.SHADOW, 6);
        put("articles", Json.write(real));

        put("articles", Json.write(status("articles", StorageMode.SOURCE_ONLY, 2)));
        put("articles", Json.write(status("articles", StorageMode.TARGET_ONLY, 6)));

        assertThat(modes.get("articles")).isEqualTo(real);
        put("articles", Json.write(status("articles", StorageMode.CUTOVER, 7)));
        assertThat(modes.get("articles").mode()).isEqualTo(StorageMode.CUTOVER);
    }

    @Test
    void recordWithoutKeyIsSkipped() {
        put(null, Json.write(status("articles", StorageMode.CUTOVER, 4)));

        assertThat(modes.approximateNumEntries()).isZero();
    }

    private void put(String key, String value) {
        updater.process(new Record<>(key, value, 0L));
    }

    private static ModeStatus status(String collection, StorageMode mode, long epoch) {
        return new ModeStatus(collection, mode, epoch, SinkName.PGVECTOR, SinkName.MILVUS, 0, "test", "test", false,
                null, null);
    }
}
