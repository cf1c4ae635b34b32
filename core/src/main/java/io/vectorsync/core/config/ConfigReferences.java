package io.vectorsync.core.config;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Resolves {@code ${env:NAME}} (an environment variable) and {@code ${file:/path}} (a file's whole content) in
 * configuration values, with Kafka's own machinery: {@link ConfigTransformer} finds and substitutes the variables,
 * {@link EnvVarConfigProvider} reads the environment and {@link WholeFileConfigProvider} the files. A reference that
 * cannot be resolved is a {@link ConfigProblem} naming the key and the variable or path, never a value; the problem
 * shows the reference as written.
 */
public final class ConfigReferences {
    static final String ENV = "env";
    static final String FILE = "file";

    private ConfigReferences() {
    }

    /**
     * @param values   the configuration as written
     * @param resolved the values with every resolvable reference replaced
     * @param keys     the keys whose value held a reference (their resolved values are printed as written)
     * @param problems one per reference that could not be resolved
     */
    public record Resolution(Map<String, String> values, Map<String, String> resolved, Set<String> keys,
                             List<ConfigProblem> problems) {
    }

    public static Resolution resolve(Map<String, String> values, Map<String, String> environment) {
        EnvVarConfigProvider env = new EnvVarConfigProvider(environment);
        // The allowlist given, so the provider does not log that it took its default.
        env.configure(Map.of(EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG, ".*"));
        Map<String, ConfigProvider> providers = Map.of(ENV, env, FILE, new WholeFileConfigProvider());
        Map<String, String> withReferences = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        List<ConfigProblem> problems = new ArrayList<>();
        values.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            Matcher m = ConfigTransformer.DEFAULT_PATTERN.matcher(value);
            boolean any = false;
            while (m.find()) {
                any = true;
                String problem = unresolvable(providers, m.group(1), m.group(3), m.group(4));
                if (problem != null) {
                    problems.add(new ConfigProblem(key, value, problem));
                }
            }
            if (any) {
                keys.add(key);
                withReferences.put(key, value);
            }
        });
        Map<String, String> resolved = new LinkedHashMap<>(values);
        if (!withReferences.isEmpty() && problems.isEmpty()) {
            resolved.putAll(new ConfigTransformer(providers).transform(withReferences).data());
        }
        return new Resolution(Map.copyOf(values), resolved, Set.copyOf(keys), List.copyOf(problems));
    }

    /** Why {@code ${provider:[path:]variable}} cannot be resolved, or null when it can. */
    private static String unresolvable(Map<String, ConfigProvider> providers, String provider, String path,
                                       String variable) {
        if (!providers.containsKey(provider)) {
            return "it refers to '${" + provider + ":...}', but only ${env:NAME} and ${file:/path} are known";
        }
        if (path != null) {
            return provider.equals(ENV)
                    ? "it refers to '${env:" + path + ":" + variable + "}'; write ${env:NAME}"
                    : "it refers to file '" + path + ":" + variable + "', but a path may not contain ':'";
        }
        ConfigData data = providers.get(provider).get(null, Set.of(variable));
        if (data.data().containsKey(variable)) {
            return null;
        }
        return provider.equals(ENV)
                ? "it refers to the environment variable '" + variable + "', which is not set"
                : "it refers to the file '" + variable + "', which cannot be read";
    }
}
