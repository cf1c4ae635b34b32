package io.vectorsync.store.neo4j;

import org.neo4j.driver.exceptions.Neo4jException;

import java.net.ConnectException;

/** Words Neo4j driver failures safely: the server's message and code, never a query's parameters. */
final class Neo4jErrors {
    private static final int MAX_LENGTH = 300;

    private Neo4jErrors() {
    }

    /** True when the server could not be reached at all (refused, no route), as opposed to failing mid-way. */
    static boolean isConnectFailure(Throwable e) {
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The message with its Neo4j status code. Neo4j's messages name labels, properties and at most a key value,
     * never the parameters of a statement; long ones are cut, as they land in logs and dead-letter headers.
     */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (message.length() > MAX_LENGTH) {
            message = message.substring(0, MAX_LENGTH) + "...";
        }
        if (e instanceof Neo4jException n && n.code() != null && !n.code().isBlank() && !"N/A".equals(n.code())) {
            return message + " (" + n.code() + ")";
        }
        return message;
    }
}
