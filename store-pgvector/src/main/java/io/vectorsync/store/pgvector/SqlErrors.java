package io.vectorsync.store.pgvector;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** Sorts PostgreSQL failures into "this change's data is bad" and "the store is unwell", and words them safely. */
final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * Data exceptions (class 22) and integrity violations (class 23) belong to one change: retrying the batch
     * unchanged would fail forever.
     */
    static boolean isDataError(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The first SQLState along the chain; a {@code BatchUpdateException} keeps the real error as the next one. */
    static String sqlState(SQLException e) {
        for (SQLException x = e; x != null; x = next(x)) {
            if (x.getSQLState() != null) {
                return x.getSQLState();
            }
        }
        return null;
    }

    /**
     * PostgreSQL's primary message and SQLState, without the DETAIL part, which can quote the row's values: the
     * result goes to logs and dead-letter headers.
     */
    static String describe(SQLException e) {
        SQLException root = e;
        for (SQLException x = e; x != null; x = next(x)) {
            root = x;
            if (x instanceof PSQLException p && p.getServerErrorMessage() != null) {
                break;
            }
        }
        // A BatchUpdateException's own message quotes the statement with its parameters: never use it.
        String message = root instanceof BatchUpdateException ? "the batch was aborted" : root.getMessage();
        if (root instanceof PSQLException p) {
            ServerErrorMessage server = p.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                message = server.getMessage();
            }
        }
        if (timedOut(e)) {
            message = "no answer within sink.pgvector.timeout.ms: " + message;
        }
        String state = sqlState(e);
        return state == null ? message : message + " (SQLState " + state + ")";
    }

    /** Whether the driver gave up waiting for the server (its socket timeout), as when the server hangs. */
    static boolean timedOut(Throwable e) {
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static SQLException next(SQLException e) {
        if (e.getNextException() != null) {
            return e.getNextException();
        }
        return e.getCause() instanceof SQLException cause && cause != e ? cause : null;
    }
}
