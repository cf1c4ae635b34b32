package io.vectorsync.core.config;

/** One thing wrong with the configuration, naming the key and the bad value. */
public record ConfigProblem(String key, String value, String message) {

    @Override
    public String toString() {
        return value == null
                ? "'" + key + "' " + message
                : "'" + key + "' was '" + value + "' but " + message;
    }
}
