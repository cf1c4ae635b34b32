package io.vectorsync.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of the preflight table. Details quote server and driver messages, which may echo a URL with
 * credentials or, worse, the password itself; every row goes through this before it is printed.
 */
public final class SecretMask {
    public static final String MASK = "****";
    /** {@code password=...}, {@code token=...} in a JDBC or HTTP query string. */
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|token|secret|api[_-]?key)=([^&\\s;,'\"]+)");
    /** {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/\\s:@]+):[^@\\s/]+@");

    private final List<String> secrets;

    /** @param secrets the secret values to hide wherever they appear; empty ones are ignored */
    public SecretMask(List<String> secrets) {
        // Longest first, so a secret containing another is masked whole.
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        out = QUERY_SECRET.matcher(out).replaceAll("$1=" + MASK);
        return USER_INFO.matcher(out).replaceAll("$1:" + MASK + "@");
    }
}
