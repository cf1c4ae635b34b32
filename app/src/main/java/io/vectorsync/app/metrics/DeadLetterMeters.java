package io.vectorsync.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code vectorsync.dlq.topic.records}: records the dead-letter topic holds, NaN when Kafka cannot tell. Not
 * "dlq.records": that is the streams worker's counter of what it dead-lettered, and Prometheus allows one type per
 * name.
 */
public final class DeadLetterMeters implements MeterBinder {
    private final DeadLetterCount count;

    public DeadLetterMeters(DeadLetterCount count) {
        this.count = count;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("vectorsync.dlq.topic.records", this::records).strongReference(true)
                .description("Records on the dead-letter topic, from every process of the pipeline")
                .register(registry);
    }

    private double records() {
        long records = count.count().records();
        return records < 0 ? Double.NaN : records;
    }
}
