package io.vectorsync.migration.gate;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.time.Duration;
import java.util.List;

/**
 * Thresholds of the cutover gate; every condition is about the target store of the collection asking to cut over.
 *
 * @param maxConsumerLag       most records the target's sink may have left to apply
 * @param kafkaTimeout         bound of each Kafka call the gate makes
 * @param maxLagP99            highest p99 end-to-end lag of the target over {@code lagWindow}
 * @param lagWindow            how long the lag must have stayed low, and how long samples must cover
 * @param maxSlotLagBytes      most WAL bytes the source's replication slot may be behind
 * @param validationMaxAge     how old the target's last validation may be
 * @param validationMinMatch   lowest match rate of that validation
 * @param shadowMinAgreement   lowest mean top-k overlap of the target's shadow reads with the legacy store's
 * @param shadowMinComparisons fewest shadow comparisons that make the agreement count; 0 turns the condition off
 */
public record GateConfig(long maxConsumerLag, Duration kafkaTimeout, Duration maxLagP99, Duration lagWindow,
                         long maxSlotLagBytes, Duration validationMaxAge, double validationMinMatch,
                         double shadowMinAgreement, int shadowMinComparisons) {

    public static final ConfigKey<Integer> MAX_CONSUMER_LAG = ConfigKey.intInRange("gate.max.consumer.lag", 100, 0,
            Integer.MAX_VALUE, "Cutover gate: most records the target store's sink worker may have left to apply"
                    + " (its consumer group's lag on its sink topic, all partitions).");
    public static final ConfigKey<Long> KAFKA_TIMEOUT_MS = ConfigKey.positiveLong("gate.kafka.timeout.ms", 5000,
            "Cutover gate: bound of each Kafka call that measures consumer lag, in milliseconds; when Kafka does not"
                    + " answer in time the lag condition fails.");
    public static final ConfigKey<Long> MAX_LAG_P99_MS = ConfigKey.positiveLong("gate.max.lag.p99.ms", 10_000,
            "Cutover gate: highest p99 of the target store's end-to-end lag (source commit to applied) over"
                    + " gate.lag.window.ms, in milliseconds.");
    public static final ConfigKey<Long> LAG_WINDOW_MS = ConfigKey.positiveLong("gate.lag.window.ms", 60_000,
            "Cutover gate: the window the end-to-end lag p99 is taken over, in milliseconds; the lag monitor must"
                    + " have been measuring for at least this long (a freshly started service keeps the gate closed).");
    public static final ConfigKey<Long> MAX_SLOT_LAG_BYTES = ConfigKey.positiveLong("gate.max.slot.lag.bytes",
            64L * 1024 * 1024, "Cutover gate: most WAL bytes the source's replication slot may be behind the"
                    + " server's current WAL position.");
    public static final ConfigKey<Long> VALIDATION_MAX_AGE_MS = ConfigKey.positiveLong(
            "gate.validation.max.age.ms", 3_600_000, "Cutover gate: how old the target store's last finished"
                    + " validation (vectorsync validate) may be, in milliseconds.");
    public static final ConfigKey<Double> VALIDATION_MIN_MATCH = ConfigKey.fraction("gate.validation.min.match",
            1.0, "Cutover gate: lowest match rate (0 to 1) of the target store's last validation.");
    public static final ConfigKey<Double> SHADOW_MIN_AGREEMENT = ConfigKey.fraction("gate.shadow.min.agreement",
            0.8, "Cutover gate: lowest mean top-k overlap (0 to 1) between the target's and the legacy store's"
                    + " answers to mirrored searches (shadow reads).");
    public static final ConfigKey<Integer> SHADOW_MIN_COMPARISONS = ConfigKey.intInRange(
            "gate.shadow.min.comparisons", 10, 0, Integer.MAX_VALUE, "Cutover gate: fewest shadow comparisons"
                    + " the agreement must rest on; 0 turns the shadow condition off (for a DUAL_WRITE to CUTOVER"
                    + " move without shadow reads).");
    public static final List<ConfigKey<?>> KEYS = List.of(MAX_CONSUMER_LAG, KAFKA_TIMEOUT_MS, MAX_LAG_P99_MS,
            LAG_WINDOW_MS, MAX_SLOT_LAG_BYTES, VALIDATION_MAX_AGE_MS, VALIDATION_MIN_MATCH, SHADOW_MIN_AGREEMENT,
            SHADOW_MIN_COMPARISONS);

    public static GateConfig from(ConfigReader reader) {
        return new GateConfig(reader.get(MAX_CONSUMER_LAG), Duration.ofMillis(reader.get(KAFKA_TIMEOUT_MS)),
                Duration.ofMillis(reader.get(MAX_LAG_P99_MS)), Duration.ofMillis(reader.get(LAG_WINDOW_MS)),
                reader.get(MAX_SLOT_LAG_BYTES), Duration.ofMillis(reader.get(VALIDATION_MAX_AGE_MS)),
                reader.get(VALIDATION_MIN_MATCH), reader.get(SHADOW_MIN_AGREEMENT),
                reader.get(SHADOW_MIN_COMPARISONS));
    }

    /** The defaults, for tests and tools that configure nothing. */
    public static GateConfig defaults() {
        return from(new ConfigReader(java.util.Map.of()));
    }
}
