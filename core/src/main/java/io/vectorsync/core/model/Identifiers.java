package io.vectorsync.core.model;

import java.util.regex.Pattern;

/**
 * SQL and Cypher identifiers: validated against a conservative pattern, then quoted, so a name from config can
 * never inject anything.
 */
public final class Identifiers {
    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Identifiers() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** @throws IllegalArgumentException naming the role and the bad value */
    public static String requireValid(String name, String role) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(role + " '" + name
                    + "' is not a valid identifier: it must match [A-Za-z_][A-Za-z0-9_]* and be at most 63 characters");
        }
        return name;
    }

    /** Double-quoted SQL identifier. */
    public static String quote(String name) {
        return "\"" + requireValid(name, "identifier") + "\"";
    }

    /** Back-quoted Cypher identifier. */
    public static String quoteCypher(String name) {
        return "`" + requireValid(name, "identifier") + "`";
    }
}
