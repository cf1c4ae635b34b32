package io.vectorsync.validation;

import io.vectorsync.core.config.ConfigKey;
import io.vectorsync.core.config.ConfigReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@code vectorsync validate} compares the source with the stores.
 *
 * @param pageSize      source rows (and store ids) read per page; a checkpoint is written after each page
 * @param driftMax      largest cosine distance (1 - cosine similarity) between a stored vector and a fresh
 *                      embedding of the source text that still counts as a match
 * @param recheckDelay  how long to wait before looking at each differing key again, so a change still on its way
 *                      through the pipeline is not reported as a difference
 * @param checkpointDir where each collection's checkpoint lives; empty: {@code <streams.state.dir>/validate}
 */
public record ValidationConfig(int pageSize, double driftMax, Duration recheckDelay, Optional<Path> checkpointDir) {

    public static final ConfigKey<Integer> PAGE_SIZE = ConfigKey.intInRange("validate.page.size", 500, 1, 100_000,
            "Validator: source rows compared per page (keyset pagination on the id columns), and store ids read per"
                    + " page when looking for orphans; the checkpoint is written after every page.");
    public static final ConfigKey<Double> DRIFT_MAX = new ConfigKey<>("validate.drift.max", "0.001",
            "Validator: largest cosine distance (1 - cosine similarity) between a stored vector and a fresh"
                    + " embedding of the source text that still counts as a match; further is reported as drifted.",
            false, ValidationConfig::distance);
    public static final ConfigKey<Integer> RECHECK_DELAY_MS = ConfigKey.intInRange("validate.recheck.delay.ms",
            3000, 0, 600_000, "Validator: wait before every differing key is read again from the source and the"
                    + " store; only differences that persist are reported, so changes still in flight are not.");
    public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.optionalString("validate.checkpoint.dir",
            "Validator: directory of the per-collection checkpoints that let an interrupted run resume; empty:"
                    + " <streams.state.dir>/validate.");
    public static final List<ConfigKey<?>> KEYS = List.of(PAGE_SIZE, DRIFT_MAX, RECHECK_DELAY_MS, CHECKPOINT_DIR);

    public static ValidationConfig from(ConfigReader reader) {
        String dir = reader.get(CHECKPOINT_DIR);
        return new ValidationConfig(reader.get(PAGE_SIZE), reader.get(DRIFT_MAX),
                Duration.ofMillis(reader.get(RECHECK_DELAY_MS)),
                dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.trim())));
    }

    /** The checkpoint directory, or {@code validate} under the streams state directory when none is set. */
    public Path checkpointDir(Path streamsStateDir) {
        return checkpointDir.orElse(streamsStateDir.resolve("validate"));
    }

    private static double distance(String s) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("it must be a number");
        }
        // Cosine distance runs from 0 (same direction) to 2 (opposite).
        if (!(v >= 0 && v <= 2)) {
            throw new IllegalArgumentException("it must be a cosine distance between 0 and 2");
        }
        return v;
    }
}
