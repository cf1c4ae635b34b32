package io.vectorsync.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Keeps the configuration's secrets out of printed text (the preflight table, HTTP error bodies): every configured
 * secret value wherever it appears, and credentials written into URLs ({@link CredentialMask}). Server and driver
 * messages may echo a URL with credentials or, worse, the password itself.
 */
public final class SecretMask {
    public static final String MASK = CredentialMask.MASK;

    private final List<String> secrets;

    /** @param secrets the secret values to hide wherever they appear; empty ones are ignored */
    public SecretMask(List<String> secrets) {
        // Longest first, so a secret containing another is masked whole.
        this.secrets = secrets.stream().filter(Objects::nonNull).flatMap(SecretMask::withPassword)
                .filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** A {@code user:password} secret (a Milvus token, say) also hides its password part printed alone. */
    private static Stream<String> withPassword(String secret) {
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
