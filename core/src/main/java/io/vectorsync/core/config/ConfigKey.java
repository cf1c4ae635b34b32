package io.vectorsync.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A configuration key, declared once: name, default, description, whether it is a secret, and how to parse it.
 * A name may contain {@code <name>} standing for a collection name.
 *
 * @param parser turns the raw text into a value, or throws {@link IllegalArgumentException} whose message completes
 *               "'key' was 'value' but ..."
 */
public record ConfigKey<T>(String name, String defaultValue, String description, boolean secret,
                           Function<String, T> parser) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** This key with {@code <name>} replaced, for per-collection keys. */
    public ConfigKey<T> forName(String collection) {
        return new ConfigKey<>(name.replace("<name>", collection), defaultValue, description, secret, parser);
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, description, false, ConfigKey::nonBlank);
    }

    public static ConfigKey<String> optionalString(String name, String description) {
        return new ConfigKey<>(name, "", description, false, s -> s);
    }

    public static ConfigKey<String> secret(String name, String description) {
        return new ConfigKey<>(name, "", description, true, s -> s);
    }

    public static ConfigKey<Integer> positiveInt(String name, int defaultValue, String description) {
        return intInRange(name, defaultValue, 1, Integer.MAX_VALUE, description);
    }

    public static ConfigKey<Integer> intInRange(String name, int defaultValue, int min, int max, String description) {
        return new ConfigKey<>(name, Integer.toString(defaultValue), description, false, s -> {
            int v = parseInt(s);
            if (v < min || v > max) {
                throw new IllegalArgumentException(max == Integer.MAX_VALUE
                        ? "it must be an integer of at least " + min
                        : "it must be an integer between " + min + " and " + max);
            }
            return v;
        });
    }

    public static ConfigKey<Long> positiveLong(String name, long defaultValue, String description) {
        return new ConfigKey<>(name, Long.toString(defaultValue), description, false, s -> {
            long v;
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("it must be a whole number");
            }
            if (v < 1) {
                throw new IllegalArgumentException("it must be a positive whole number");
            }
            return v;
        });
    }

    /** {@code true} or {@code false}, nothing else. */
    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, Boolean.toString(defaultValue), description, false, s -> {
            String v = s.trim();
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("it must be true or false");
            }
            return Boolean.parseBoolean(v);
        });
    }

    /** A share between 0 and 1 inclusive, e.g. {@code 0.95}. */
    public static ConfigKey<Double> fraction(String name, double defaultValue, String description) {
        return new ConfigKey<>(name, Double.toString(defaultValue), description, false, s -> {
            double v;
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("it must be a number between 0 and 1");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("it must be a number between 0 and 1");
            }
            return v;
        });
    }

    /** Comma-separated list; empty entries are dropped. */
    public static ConfigKey<List<String>> list(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, description, false, ConfigKey::splitList);
    }

    public static <E extends Enum<E>> ConfigKey<E> enumKey(String name, E defaultValue, Class<E> type,
                                                          Function<E, String> spelling, String description) {
        return new ConfigKey<>(name, spelling.apply(defaultValue), description, false, s -> {
            for (E e : type.getEnumConstants()) {
                if (spelling.apply(e).equals(s.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("it must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(spelling).toList());
        });
    }

    public static List<String> splitList(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static String nonBlank(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("it must not be blank");
        }
        return s.trim();
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("it must be a whole number");
        }
    }
}
