package io.vectorsync.migration.lag;

/** A figure read from Kafka or the source database, or why it could not be read. */
record Reading<T>(T value, String problem) {

    static <T> Reading<T> of(T value) {
        return new Reading<>(value, null);
    }

    static <T> Reading<T> failed(String problem) {
        return new Reading<>(null, problem);
    }

    boolean known() {
        return problem == null;
    }
}
