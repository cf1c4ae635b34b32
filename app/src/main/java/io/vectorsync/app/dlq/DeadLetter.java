package io.vectorsync.app.dlq;

import io.vectorsync.core.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * One record of the dead-letter topic with what its headers say: where it sits ({@code topic/partition/offset}), when
 * it was written, its key and value as they failed, and the reason and origin from {@link DeadLetterHeaders}.
 *
 * @param sourcePartition -1 when the record never reached a topic (the connector dead-letters before publishing)
 * @param sourceOffset    -1 likewise
 */
public record DeadLetter(String topic, int partition, long offset, long timestampMs, String key, String value,
                         String errorClass, String reason, String sourceTopic, int sourcePartition,
                         long sourceOffset) {

    public static DeadLetter of(ConsumerRecord<String, String> r) {
        Headers h = r.headers();
        return new DeadLetter(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                header(h, DeadLetterHeaders.ERROR_CLASS), header(h, DeadLetterHeaders.ERROR_MESSAGE),
                header(h, DeadLetterHeaders.SOURCE_TOPIC), (int) number(h, DeadLetterHeaders.SOURCE_PARTITION),
                number(h, DeadLetterHeaders.SOURCE_OFFSET));
    }

    /** Where this dead letter sits: {@code topic/partition/offset}, as {@code --offset} takes it. */
    public String coordinates() {
        return coordinates(topic, partition, offset);
    }

    public static String coordinates(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name) {
        String text = header(headers, name);
        try {
            return text == null ? -1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
