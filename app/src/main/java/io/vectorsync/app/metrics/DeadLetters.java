package io.vectorsync.app.metrics;

/**
 * How many records the dead-letter topic holds.
 *
 * @param records records on the topic (end minus start offset, all partitions); -1 when unknown
 * @param problem why the count is unknown, or null
 */
public record DeadLetters(long records, String problem) {

    public static DeadLetters counted(long records) {
        return new DeadLetters(records, null);
    }

    public static DeadLetters unknown(String problem) {
        return new DeadLetters(-1, problem);
    }
}
