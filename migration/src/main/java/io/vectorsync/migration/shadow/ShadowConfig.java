package io.vectorsync.migration.shadow;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.util.List;

/** How shadow reads run beside the searches they mirror. */
public record ShadowConfig(int threads, int queueCapacity, int window) {

    public static final ConfigKey<Integer> THREADS = ConfigKey.intInRange("shadow.threads", 2, 1, 64,
            "Threads that run mirrored searches on the target store in SHADOW mode, off the request path.");
    public static final ConfigKey<Integer> QUEUE_CAPACITY = ConfigKey.intInRange("shadow.queue.capacity", 100, 1,
            100_000, "Mirrored searches waiting for a shadow thread, at most; when full a search is not mirrored"
                    + " (vectorsync.shadow.dropped) rather than slowing the request.");
    public static final ConfigKey<Integer> WINDOW = ConfigKey.intInRange("shadow.window", 1000, 1, 1_000_000,
            "Latest shadow comparisons kept per collection for the cutover gate and the dashboard.");
    public static final List<ConfigKey<?>> KEYS = List.of(THREADS, QUEUE_CAPACITY, WINDOW);

    public static ShadowConfig from(ConfigReader reader) {
        return new ShadowConfig(reader.get(THREADS), reader.get(QUEUE_CAPACITY), reader.get(WINDOW));
    }
}
