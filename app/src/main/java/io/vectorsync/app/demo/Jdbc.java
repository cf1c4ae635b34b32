package io.vectorsync.app.demo;

import io.vectorsync.core.source.SourceDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Short-lived JDBC connections for the demo's set-up steps, failing fast when the server does not answer. */
final class Jdbc {
    private static final String APPLICATION = "vectorsync-demo";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private Jdbc() {
    }

    /** The source database, as every other part of the demo reaches it. */
    static Connection connect(SourceDatabase source) throws SQLException {
        return source.connect(APPLICATION, CONNECT_TIMEOUT, Duration.ZERO);
    }

    /** Any PostgreSQL server by URL: the pgvector store, or a server's {@code postgres} database. */
    static Connection connect(JdbcUrl url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        p.setProperty("ApplicationName", APPLICATION);
        return DriverManager.getConnection(url.url(), p);
    }

    /** PostgreSQL's primary message and SQLState; never the statement, which can quote row values. */
    static String describe(SQLException e) {
        return e.getMessage() + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
