package io.vectorsync.store.neo4j;

import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.FatalDiscoveryException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.RetryableException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.TransactionTerminatedException;

import java.net.ConnectException;

/** Words Neo4j driver failures safely: the server's message and code, never a query's parameters. */
final class Neo4jErrors {
    private static final int MAX_LENGTH = 300;

    private Neo4jErrors() {
    }

    /**
     * True when Neo4j refused what a statement asked of the data (a constraint, a type, an argument), which trying
     * again can never mend, so the change it came from is to be isolated and dead-lettered. Everything else (no
     * connection, a transient error such as a deadlock, an expired session, a security or database error, a
     * terminated transaction) says nothing about the change and is retried as the store being unavailable. A
     * syntax error or a missing parameter is this code's fault, and every change would fail alike: retried too.
     */
    static boolean isRefusedChange(Neo4jException e) {
        if (!(e instanceof ClientException) || e instanceof RetryableException || e instanceof SecurityException
                || e instanceof FatalDiscoveryException || e instanceof TransactionTerminatedException) {
            return false;
        }
        String code = e.code() == null ? "" : e.code();
        return (code.startsWith("Neo.ClientError.Schema.") || code.startsWith("Neo.ClientError.Statement."))
                && !code.equals("Neo.ClientError.Statement.SyntaxError")
                && !code.equals("Neo.ClientError.Statement.ParameterMissing");
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
