package io.vectorsync.store.pgvector;

import com.pgvector.PGvector;
import io.vectorsync.core.source.FailFastSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One JDBC connection, opened on first use and again after {@link #discard()}. Connecting, logging in, every
 * statement and every read from the socket are bounded by {@code sink.pgvector.timeout.ms}, so a hung server fails
 * the call instead of blocking its thread forever. Not thread-safe.
 */
final class PgvectorConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgvectorConnection.class);

    private final PgvectorSinkConfig config;
    private final String applicationName;
    private final boolean autoCommit;
    private Connection connection;

    /** @param applicationName shown in {@code pg_stat_activity}, so operators can tell writers from readers */
    PgvectorConnection(PgvectorSinkConfig config, String applicationName, boolean autoCommit) {
        this.config = config;
        this.applicationName = applicationName;
        this.autoCommit = autoCommit;
    }

    Connection get() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password());
        props.setProperty("ApplicationName", applicationName);
        config.tls().applyTo(props);
        // A hung server fails a call within one socket timeout over TLS too (see FailFastSocketFactory).
        props.setProperty("socketFactory", FailFastSocketFactory.CLASS_NAME);
        // The driver counts these in whole seconds; settings in the URL itself take precedence. The socket waits a
        // second longer than a statement may run, so a slow statement is cancelled by the server (SQLState 57014)
        // and only a server that stopped answering is cut off at the socket.
        int seconds = timeoutSeconds(config.timeoutMs());
        props.setProperty("connectTimeout", Integer.toString(seconds));
        props.setProperty("loginTimeout", Integer.toString(seconds));
        props.setProperty("socketTimeout", Integer.toString(seconds + 1));
        Connection opened = DriverManager.getConnection(config.url(), props);
        try {
            try (Statement st = opened.createStatement()) {
                st.execute("SET statement_timeout = " + config.timeoutMs());
            }
            PGvector.addVectorType(opened);
            opened.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            closeQuietly(opened);
            throw e;
        }
        LOG.info("{} connected to {} as {}", applicationName, config.safeUrl(), config.user());
        connection = opened;
        return connection;
    }

    /** The driver's timeouts in whole seconds, never below the configured milliseconds. */
    static int timeoutSeconds(int timeoutMs) {
        return (int) Math.max(1, (timeoutMs + 999L) / 1000);
    }

    /** Closes the connection after a failure; the next {@link #get()} opens a fresh one. */
    void discard() {
        Connection c = connection;
        connection = null;
        closeQuietly(c);
    }

    @Override
    public void close() {
        discard();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("pgvector: closing a connection failed: {}", SqlErrors.describe(e));
        }
    }
}
