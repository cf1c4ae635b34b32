package io.vectorsync.core.kafka;

import io.vectorsync.core.config.KafkaConfig;

/**
 * Why a record was dead-lettered instead of published: its key and value together are larger than
 * {@code kafka.max.record.bytes}. Publishing it would fail (the producer's or the broker's limit) and stop the
 * pipeline on the same record at every restart.
 */
public final class OversizedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Keys are primary keys and short; a longer one is cut in the message. */
    private static final int KEY_SHOWN = 200;

    private final long bytes;
    private final int limit;

    public OversizedRecordException(long bytes, int limit, String key) {
        super("record of " + bytes + " bytes is over " + KafkaConfig.MAX_RECORD_BYTES.name() + " (" + limit
                + "), key " + shown(key));
        this.bytes = bytes;
        this.limit = limit;
    }

    /** Key and value, UTF-8. */
    public long bytes() {
        return bytes;
    }

    public int limit() {
        return limit;
    }

    private static String shown(String key) {
        if (key == null) {
            return "null";
        }
        return key.length() <= KEY_SHOWN ? key : key.substring(0, KEY_SHOWN) + "… (" + key.length() + " chars)";
    }
}
