package io.vectorsync.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed values from raw key/value configuration and collects every problem instead of stopping at the first.
 * Each module builds its config record from one shared reader; {@link #finish()} then reports unknown keys and
 * throws one {@link ConfigException} listing everything that is wrong.
 */
public final class ConfigReader {
    /** Values with {@code ${env:...}} and {@code ${file:...}} resolved: what keys parse. */
    private final Map<String, String> raw;
    /** Values as written: what is printed for a key whose value held a reference, so no resolved value shows. */
    private final Map<String, String> written;
    private final Set<String> referenced;
    private final Map<String, ConfigKey<?>> read = new LinkedHashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    /** References to environment variables are resolved against the process's environment. */
    public ConfigReader(Map<String, String> raw) {
        this(raw, System.getenv());
    }

    public ConfigReader(Map<String, String> raw, Map<String, String> environment) {
        ConfigReferences.Resolution resolution = ConfigReferences.resolve(raw, environment);
        this.raw = Map.copyOf(resolution.resolved());
        this.written = Map.copyOf(raw);
        this.referenced = resolution.keys();
        resolution.problems().forEach(p -> problems.add(
                new ConfigProblem(p.key(), CredentialMask.mask(p.value()), p.message())));
    }

    /**
     * The parsed value, or its default. A bad value is recorded as a problem and the key's default returned (null for
     * a required key), so callers build their records without restating defaults; {@link #finish()} then throws.
     */
    public <T> T get(ConfigKey<T> key) {
        read.put(key.name(), key);
        if (referenced.contains(key.name()) && hasProblem(key)) {
            // The reference could not be resolved (already reported): parsing its text would only add noise.
            return key.required() ? null : key.parser().apply(key.defaultValue());
        }
        String value = raw.get(key.name());
        if (value == null || (value.isBlank() && !key.required())) {
            if (key.required()) {
                problems.add(new ConfigProblem(key.name(), null, "is required: " + key.description()));
                return null;
            }
            value = key.defaultValue();
        }
        try {
            return key.parser().apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(key.name(), printable(key, value), e.getMessage()));
            return key.required() ? null : key.parser().apply(key.defaultValue());
        }
    }

    /** A value as it may be printed: a secret masked, a reference as written, credentials in a URL masked. */
    private String printable(ConfigKey<?> key, String value) {
        if (key.secret() && value != null && !value.isEmpty()) {
            return CredentialMask.MASK;
        }
        return CredentialMask.mask(referenced.contains(key.name()) ? written.get(key.name()) : value);
    }

    /**
     * The values of every secret key read so far (resolved, non-empty), to be masked wherever text is printed. The
     * key's {@code secret} flag is the one place that says what is secret.
     */
    public List<String> secrets() {
        return read.values().stream().filter(ConfigKey::secret).map(k -> raw.get(k.name()))
                .filter(v -> v != null && !v.isEmpty()).distinct().toList();
    }

    /** The distinct names {@code X} of keys {@code prefix.X.rest}, in sorted order. */
    public Set<String> names(String prefix) {
        Set<String> names = new TreeSet<>();
        String p = prefix + ".";
        for (String k : raw.keySet()) {
            if (k.startsWith(p)) {
                String rest = k.substring(p.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return names;
    }

    /** The rest of every key starting with {@code prefix} (e.g. {@code security.protocol} under {@code kafka.client.}). */
    public Set<String> keysUnder(String prefix) {
        Set<String> rests = new TreeSet<>();
        raw.keySet().stream().filter(k -> k.startsWith(prefix) && k.length() > prefix.length())
                .forEach(k -> rests.add(k.substring(prefix.length())));
        return rests;
    }

    /** Whether the key was given a non-blank value, as opposed to falling back to its default. */
    public boolean isSet(ConfigKey<?> key) {
        String value = raw.get(key.name());
        return value != null && !value.isBlank();
    }

    /** Whether the key's value was bad; cross-key checks skip keys that already have a problem. */
    public boolean hasProblem(ConfigKey<?> key) {
        return problems.stream().anyMatch(p -> p.key().equals(key.name()));
    }

    public void problem(String key, String value, String message) {
        problems.add(new ConfigProblem(key, value, message));
    }

    public List<ConfigProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Adds a problem for every key nobody read (usually a typo), then throws if anything is wrong. */
    public void finish() {
        finish(List.of());
    }

    /** As {@link #finish()}, reporting also problems found elsewhere (say, against the live source schema). */
    public void finish(List<ConfigProblem> more) {
        problems.addAll(more);
        for (String k : new TreeSet<>(raw.keySet())) {
            if (!read.containsKey(k)) {
                problems.add(new ConfigProblem(k, null, "is not a known key (see the config reference in README.md)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * Every key read so far with its effective value, secrets masked: safe to log. Secret keys are masked whole, a
     * value that held a reference is shown as written ({@code ${env:NAME}}), and credentials inside any other value (a
     * password in a URL) are masked too.
     */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> k : read.values()) {
            out.put(k.name(), printable(k, raw.getOrDefault(k.name(), k.defaultValue())));
        }
        return out;
    }
}
