package io.vectorsync.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How big a drill is. Two profiles: {@code ci} (at least 10 faults, 10 s outages, for {@code scripts/test.sh}) and
 * {@code long} (60 s outages, for {@code scripts/drill.sh}). Read from {@code drill.*} properties:
 * {@code drill.profile}, {@code drill.seed} (default: the clock), {@code drill.faults}, {@code drill.without}
 * (comma-separated fault kinds), {@code drill.writes.per.second}, and for a secured broker
 * {@code drill.kafka.bootstrap.servers} and {@code drill.kafka.client.<property>} (the pipeline's
 * {@code kafka.client.*} keys; a secret as {@code ${env:NAME}} or {@code ${file:/path}}, never on the command line).
 *
 * @param seed            the seed every random choice comes from; printed, so a run can be replayed
 * @param faults          how many faults are injected
 * @param outage          how long a store cut or hang lasts
 * @param without         fault kinds never planned
 * @param writesPerSecond the writer's steady rate of source transactions
 * @param settle          how long the audit waits, after the last fault, for every store to equal the source
 * @param kafka           pipeline configuration keys ({@code kafka.bootstrap.servers}, {@code kafka.client.*}) that
 *                        replace the local plain listener, for the service and the drill's own clients
 */
public record DrillSettings(String profile, long seed, int faults, Duration outage, Set<FaultKind> without,
                            int writesPerSecond, Duration settle, Map<String, String> kafka) {
    private static final String KAFKA_PREFIX = "drill.";

    public DrillSettings {
        without = without.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(without);
        kafka = Map.copyOf(kafka);
    }

    /**
     * @param props {@code drill.*} properties (system properties, say)
     * @param clock the seed when none is given
     * @throws IllegalArgumentException naming every bad property at once
     */
    public static DrillSettings from(Map<String, String> props, long clock) {
        List<String> problems = new ArrayList<>();
        String profile = props.getOrDefault("drill.profile", "ci").trim();
        boolean ci = profile.equals("ci");
        if (!ci && !profile.equals("long")) {
            problems.add("drill.profile was '" + profile + "' but it must be ci or long");
        }
        long seed = clock;
        if (props.containsKey("drill.seed") && !props.get("drill.seed").isBlank()) {
            try {
                seed = Long.parseLong(props.get("drill.seed").trim());
            } catch (NumberFormatException e) {
                problems.add("drill.seed was '" + props.get("drill.seed") + "' but it must be a whole number");
            }
        }
        int faults = intProperty(props, "drill.faults", ci ? 12 : 50, 1, 1000, problems);
        int rate = intProperty(props, "drill.writes.per.second", 20, 1, 1000, problems);
        Set<FaultKind> without = EnumSet.noneOf(FaultKind.class);
        String list = props.getOrDefault("drill.without", "");
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                try {
                    without.add(FaultKind.of(id));
                } catch (IllegalArgumentException e) {
                    problems.add("drill.without was '" + list + "' but " + e.getMessage());
                }
            }
        }
        if (without.size() == FaultKind.values().length) {
            problems.add("drill.without was '" + list + "' but it leaves no fault kind to inject");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DrillSettings(profile, seed, faults, Duration.ofSeconds(ci ? 10 : 60), without, rate,
                Duration.ofMinutes(ci ? 3 : 10), kafka(props));
    }

    /** {@code drill.kafka.bootstrap.servers} and {@code drill.kafka.client.*} as the pipeline's keys. */
    private static Map<String, String> kafka(Map<String, String> props) {
        Map<String, String> kafka = new TreeMap<>();
        props.forEach((key, value) -> {
            if (key.equals(KAFKA_PREFIX + "kafka.bootstrap.servers")
                    || key.startsWith(KAFKA_PREFIX + "kafka.client.")) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        return kafka;
    }

    /** The fault kinds a plan draws from. */
    public Set<FaultKind> kinds() {
        Set<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
        kinds.removeAll(without);
        return kinds;
    }

    /** The settings as {@code scripts/drill.sh} options, to replay this run. */
    public String replay() {
        StringBuilder s = new StringBuilder("scripts/drill.sh --profile " + profile + " --faults " + faults
                + " --seed " + seed);
        if (!without.isEmpty()) {
            s.append(" --without ").append(String.join(",", without.stream().map(FaultKind::id).toList()));
        }
        return s.toString();
    }

    private static int intProperty(Map<String, String> props, String key, int fallback, int min, int max,
                                   List<String> problems) {
        String value = props.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " was '" + value + "' but it must be a whole number from " + min + " to " + max);
        return fallback;
    }

    @Override
    public String toString() {
        return "profile=" + profile + " seed=" + seed + " faults=" + faults + " outage=" + outage.toSeconds() + "s"
                + " without=" + Arrays.toString(without.stream().map(FaultKind::id).toArray())
                + (kafka.isEmpty() ? "" : " kafka=" + kafka.keySet());
    }
}
