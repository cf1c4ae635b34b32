package io.vectorsync.streams.embedding;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Pure: how long to wait before retry {@code n} of a request. */
final class RetryDelay {
    private final long backoffMs;
    private final long maxBackoffMs;

    RetryDelay(long backoffMs, long maxBackoffMs) {
        this.backoffMs = backoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /**
     * The server's {@code Retry-After} when it sent one, else {@code backoff × 2^(retry-1)}; at most the maximum
     * backoff either way.
     *
     * @param retry 1 for the first retry
     */
    Duration before(int retry, Optional<Duration> retryAfter) {
        long ms = retryAfter.map(Duration::toMillis)
                .orElseGet(() -> backoffMs << Math.min(retry - 1, 30));
        return Duration.ofMillis(Math.max(0, Math.min(ms < 0 ? maxBackoffMs : ms, maxBackoffMs)));
    }

    /** {@code Retry-After} as seconds or an HTTP date (RFC 9110 §10.2.3); empty when absent or unreadable. */
    static Optional<Duration> parseRetryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String v = header.get().trim();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
