package io.vectorsync.core;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** The headers every dead letter carries: why it failed and where it came from. */
public final class DeadLetterHeaders {
    public static final String ERROR_CLASS = "vectorsync.error.class";
    public static final String ERROR_MESSAGE = "vectorsync.error.message";
    public static final String SOURCE_TOPIC = "vectorsync.source.topic";
    public static final String SOURCE_PARTITION = "vectorsync.source.partition";
    public static final String SOURCE_OFFSET = "vectorsync.source.offset";

    private DeadLetterHeaders() {
    }

    public static Headers of(Throwable error, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, ERROR_CLASS, error.getClass().getName());
        add(headers, ERROR_MESSAGE, String.valueOf(error.getMessage()));
        add(headers, SOURCE_TOPIC, topic);
        add(headers, SOURCE_PARTITION, Integer.toString(partition));
        add(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
