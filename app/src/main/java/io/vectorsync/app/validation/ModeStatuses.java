package io.vectorsync.app.validation;

import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.migration.mode.ModeStatusFollower;

import java.time.Duration;
import java.util.Map;

/** The applied storage modes as the status topic holds them now, read once. */
public final class ModeStatuses {
    private ModeStatuses() {
    }

    /** @throws IllegalStateException when the status topic cannot be read to its end within {@code timeout} */
    public static Map<String, ModeStatus> read(KafkaConfig kafka, Duration timeout) {
        try (ModeStatusFollower follower = new ModeStatusFollower(kafka)) {
            follower.start();
            if (!follower.awaitCaughtUp(timeout)) {
                throw new IllegalStateException("could not read " + kafka.topics().status() + " at "
                        + kafka.bootstrapServers() + " within " + timeout.toSeconds() + " s");
            }
            return follower.statuses();
        }
    }
}
