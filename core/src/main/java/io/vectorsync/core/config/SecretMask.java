package io.vectorsync.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the configuration's secrets out of printed text (the preflight table, HTTP error bodies): every configured
 * secret value wherever it appears, and credentials written into URLs ({@link CredentialMask}). Server and driver
 * messages may echo a URL with credentials or, worse, the password itself.
 */
public final class SecretMask {
    public static final String MASK = CredentialMask.MASK;

    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

    private final List<String> secrets;

    /** @param secrets the secret values to hide wherever they appear; empty ones are ignored */
    public SecretMask(List<String> secrets) {
        // Longest first, so a secret containing another is masked whole.
        this.secrets = secrets.stream().filter(Objects::nonNull).flatMap(SecretMask::withPassword)
                .filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * A {@code user:password} secret (a Milvus token, say) also hides its password part printed alone, and a JAAS
     * login ({@code kafka.client.sasl.jaas.config}) the {@code password="..."} inside it.
     */
    private static Stream<String> withPassword(String secret) {
        Matcher jaas = JAAS_PASSWORD.matcher(secret);
        if (jaas.find()) {
            Stream.Builder<String> parts = Stream.<String>builder().add(secret).add(jaas.group(1));
            while (jaas.find()) {
                parts.add(jaas.group(1));
            }
            return parts.build();
        }
        int colon = secret.indexOf(':');
        return colon < 0 ? Stream.of(secret) : Stream.of(secret, secret.substring(colon + 1));
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return CredentialMask.mask(out);
    }
}
