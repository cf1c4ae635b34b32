package io.vectorsync.migration.lag;

import io.vectorsync.core.model.SinkName;

import java.util.OptionalLong;

/** The raw figures one lag sample reads, each telling why when it cannot. Used by the sampling thread only. */
interface LagProbes extends AutoCloseable {

    /** Records on the sink's topic its consumer group has not committed. */
    long consumerLag(SinkName sink) throws LagReadException;

    /** What the sink's consumer group has not processed on its topic. */
    Pending sinkTopic(SinkName sink) throws LagReadException;

    /** What the streams worker has not processed on the CDC topics. */
    Pending upstream() throws LagReadException;

    /** The newest heartbeat of the pipeline's connector, empty when it never sent one. */
    OptionalLong newestHeartbeatMs() throws LagReadException;

    /** WAL bytes the source's replication slot is behind. */
    long slotLagBytes() throws LagReadException;

    @Override
    void close();
}
