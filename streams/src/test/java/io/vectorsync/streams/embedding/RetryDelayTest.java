package io.vectorsync.streams.embedding;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryDelayTest {
    private final RetryDelay delay = new RetryDelay(500, 30_000);

    @Test
    void backoffDoublesFromTheFirstRetryUpToTheMaximum() {
        assertThat(delay.before(1, Optional.empty())).isEqualTo(Duration.ofMillis(500));
        assertThat(delay.before(2, Optional.empty())).isEqualTo(Duration.ofMillis(1000));
        assertThat(delay.before(4, Optional.empty())).isEqualTo(Duration.ofMillis(4000));
        assertThat(delay.before(10, Optional.empty())).isEqualTo(Duration.ofMillis(30_000));
        assertThat(delay.before(60, Optional.empty())).isEqualTo(Duration.ofMillis(30_000));
    }

    @Test
    void retryAfterReplacesTheBackoffUpToTheMaximum() {
        assertThat(delay.before(3, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(delay.before(1, Optional.of(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-12-05T23:00:00Z");
        assertThat(RetryDelay.parseRetryAfter(Optional.of("7"), now)).contains(Duration.ofSeconds(7));
        assertThat(RetryDelay.parseRetryAfter(Optional.of("0.25"), now)).contains(Duration.ofMillis(250));
        assertThat(RetryDelay.parseRetryAfter(Optional.of("Sat, 05 Dec 2026 23:00:12 GMT"), now))
                .contains(Duration.ofSeconds(12));
        assertThat(RetryDelay.parseRetryAfter(Optional.of("Sat, 05 Dec 2026 22:00:00 GMT"), now))
                .contains(Duration.ZERO);
        assertThat(RetryDelay.parseRetryAfter(Optional.of("soon"), now)).isEmpty();
        assertThat(RetryDelay.parseRetryAfter(Optional.empty(), now)).isEmpty();
    }
}
