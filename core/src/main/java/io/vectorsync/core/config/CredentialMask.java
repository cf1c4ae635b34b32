package io.vectorsync.core.config;

import java.util.regex.Pattern;

/**
 * Hides credentials written into text, whatever key or message carries them: a {@code password=} (or token, secret,
 * API key) parameter of a JDBC or HTTP URL's query, the password of a URL's {@code user:password@}, and a JAAS
 * login's {@code password="..."}. For printing
 * configuration values and error messages; secret keys are masked whole by {@link ConfigReader} already.
 */
public final class CredentialMask {
    public static final String MASK = "****";
    /** {@code password=...} and the like, first in a query or after {@code &} or {@code ;}. */
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|token|secret|api[_-]?key|sslpassword)=([^&\\s;,'\"]+)");
    /** {@code password="..."} of a JAAS login ({@code sasl.jaas.config}), which a Kafka client's error may quote. */
    private static final Pattern QUOTED_PASSWORD = Pattern.compile("(?i)\\b(password\\s*=\\s*)\"[^\"]*\"");
    /** {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/\\s:@]+):[^@\\s/]+@");

    private CredentialMask() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = QUOTED_PASSWORD.matcher(text).replaceAll("$1\"" + MASK + "\"");
        out = QUERY_SECRET.matcher(out).replaceAll("$1=" + MASK);
        return USER_INFO.matcher(out).replaceAll("$1:" + MASK + "@");
    }
}
