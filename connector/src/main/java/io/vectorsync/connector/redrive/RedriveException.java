package io.vectorsync.connector.redrive;

/** The source database or Kafka could not be reached or refused a re-drive; the message says which and why. */
public final class RedriveException extends RuntimeException {
    public RedriveException(String message, Throwable cause) {
        super(message, cause);
    }
}
