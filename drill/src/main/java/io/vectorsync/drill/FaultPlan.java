package io.vectorsync.drill;

import io.vectorsync.core.model.SinkName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one drill, all chosen from the seed: the same settings give the same plan, so a failing run can be
 * replayed. Every allowed kind comes once before any comes twice (mixed kinds even in a short drill); the rest are
 * drawn at random, each after a random quiet gap.
 */
public record FaultPlan(long seed, List<Fault> faults) {
    /** The processes a kill or a stop can hit. */
    public static final List<String> PROCESSES = List.of(ProcessFleet.CONNECTOR, "streams-1", "streams-2", "sink-1",
            "sink-2");

    public FaultPlan {
        faults = List.copyOf(faults);
    }

    public static FaultPlan of(DrillSettings settings) {
        Random random = new Random(settings.seed());
        List<FaultKind> kinds = new ArrayList<>(settings.kinds());
        List<FaultKind> order = new ArrayList<>();
        while (order.size() < settings.faults()) {
            List<FaultKind> round = new ArrayList<>(kinds);
            Collections.shuffle(round, random);
            order.addAll(round);
        }
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < settings.faults(); i++) {
            FaultKind kind = order.get(i);
            Duration gap = Duration.ofMillis(1_000 + random.nextInt(4_000));
            faults.add(switch (kind) {
                case KILL, STOP -> new Fault(i + 1, kind, pick(PROCESSES, random), gap,
                        Duration.ofMillis(1_000 + random.nextInt(5_000)));
                case BROKER_RESTART, SOURCE_RESTART -> new Fault(i + 1, kind, "", gap,
                        Duration.ofMillis(2_000 + random.nextInt(4_000)));
                case STORE_CUT, STORE_HANG, SINK_JOIN -> new Fault(i + 1, kind, store(random), gap,
                        settings.outage());
                case POISON_SINK -> new Fault(i + 1, kind, store(random), gap, Duration.ZERO);
                case ROW_2MB, ROW_20MB, INVALID_TEXT, POISON_CDC -> new Fault(i + 1, kind, "", gap, Duration.ZERO);
            });
        }
        return new FaultPlan(settings.seed(), faults);
    }

    private static String store(Random random) {
        return pick(Arrays.stream(SinkName.values()).map(SinkName::id).toList(), random);
    }

    private static String pick(List<String> from, Random random) {
        return from.get(random.nextInt(from.size()));
    }
}
