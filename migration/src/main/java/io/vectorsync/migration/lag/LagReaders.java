package io.vectorsync.migration.lag;

import io.vectorsync.core.Topics;
import io.vectorsync.core.kafka.KafkaConsumerLag;
import io.vectorsync.core.kafka.LagUnknownException;
import io.vectorsync.core.model.SinkName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The lag probes on the real servers: Kafka through one admin client and one group-less consumer, and the source. */
final class LagReaders implements LagProbes {
    private final Topics topics;
    private final String streamsApplicationId;
    private final List<String> cdcTopics;
    private final Admin admin;
    private final KafkaConsumerLag consumerLag;
    private final RecordTimestamps timestamps;
    private final PendingRecords pending;
    private final HeartbeatReader heartbeats;
    private final SlotLagReader slot;
    private final Duration timeout;

    LagReaders(Topics topics, String streamsApplicationId, List<String> cdcTopics, SlotSource source,
               Map<String, Object> client, Duration timeout) {
        this.topics = topics;
        this.streamsApplicationId = streamsApplicationId;
        this.cdcTopics = List.copyOf(cdcTopics);
        this.timeout = timeout;
        String ms = Long.toString(timeout.toMillis());
        String clientId = topics.pipeline() + "-lag";
        Map<String, Object> adminConfig = new HashMap<>(client);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        this.admin = Admin.create(adminConfig);
        this.consumerLag = new KafkaConsumerLag(admin, timeout);
        TopicOffsets offsets = new TopicOffsets(admin, timeout);
        try {
            this.timestamps = RecordTimestamps.connect(client, clientId, timeout);
        } catch (RuntimeException e) {
            admin.close(Duration.ZERO);
            throw e;
        }
        this.pending = new PendingRecords(offsets, timestamps);
        this.heartbeats = new HeartbeatReader(offsets, timestamps);
        this.slot = new SlotLagReader(source, timeout);
    }

    @Override
    public long consumerLag(SinkName sink) throws LagReadException {
        try {
            return consumerLag.records(topics.sinkGroup(sink), topics.sink(sink));
        } catch (LagUnknownException e) {
            throw new LagReadException("consumer lag of " + topics.sinkGroup(sink) + " unknown: " + e.getMessage(), e);
        }
    }

    @Override
    public Pending sinkTopic(SinkName sink) throws LagReadException {
        try {
            return pending.read(topics.sinkGroup(sink), List.of(topics.sink(sink)));
        } catch (LagReadException e) {
            throw new LagReadException("changes waiting for " + topics.sinkGroup(sink) + " unknown: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Pending upstream() throws LagReadException {
        try {
            return pending.read(streamsApplicationId, cdcTopics);
        } catch (LagReadException e) {
            throw new LagReadException("changes waiting for the streams worker " + streamsApplicationId
                    + " unknown: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalLong newestHeartbeatMs() throws LagReadException {
        try {
            return heartbeats.newest(topics.heartbeat());
        } catch (LagReadException e) {
            throw new LagReadException("the connector's heartbeats unknown: " + e.getMessage(), e);
        }
    }

    @Override
    public long slotLagBytes() throws LagReadException {
        return slot.bytes();
    }

    @Override
    public void close() {
        slot.close();
        timestamps.close();
        admin.close(timeout);
    }
}
