package io.vectorsync.app.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Short-lived JDBC connections for the demo's set-up steps, failing fast when the server does not answer. */
final class Jdbc {
    private static final String CONNECT_TIMEOUT_SECONDS = "3";

    private Jdbc() {
    }

    static Connection connect(JdbcUrl url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        p.setProperty("ApplicationName", "vectorsync-demo");
        return DriverManager.getConnection(url.url(), p);
    }

    /** PostgreSQL's primary message and SQLState; never the statement, which can quote row values. */
    static String describe(SQLException e) {
        return e.getMessage() + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
