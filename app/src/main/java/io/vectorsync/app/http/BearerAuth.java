package io.vectorsync.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks a request's {@code Authorization: Bearer <token>} against the configured token. No header (or another
 * scheme) is {@link Verdict#MISSING} — answered 401 with {@code WWW-Authenticate: Bearer}, so a client knows to
 * ask for a token; a token that does not match is {@link Verdict#WRONG} — answered 403. The comparison takes the
 * same time wherever the tokens differ ({@link MessageDigest#isEqual}).
 */
final class BearerAuth {
    private static final String SCHEME = "bearer ";

    enum Verdict { ALLOWED, MISSING, WRONG }

    private final byte[] token;

    /** @param token the expected token; empty lets every request through */
    BearerAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    Verdict check(Optional<String> authorization) {
        if (token.length == 0) {
            return Verdict.ALLOWED;
        }
        if (authorization.isEmpty() || authorization.get().length() < SCHEME.length()
                || !authorization.get().substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            return Verdict.MISSING;
        }
        byte[] given = authorization.get().substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given) ? Verdict.ALLOWED : Verdict.WRONG;
    }
}
