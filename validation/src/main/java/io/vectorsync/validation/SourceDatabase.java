package io.vectorsync.validation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the source PostgreSQL is, for the validator's plain JDBC reads; the password never appears in
 * {@link #toString()}.
 *
 * @param address {@code host:port/database}, how messages name the source
 */
public record SourceDatabase(String jdbcUrl, String user, String password, String address) {
    private static final String CONNECT_TIMEOUT_SECONDS = "5";
    private static final String SOCKET_TIMEOUT_SECONDS = "300";

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        // A page query should take well under a second; this only stops a dead server from hanging the run.
        p.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        p.setProperty("ApplicationName", "vectorsync-validate");
        return DriverManager.getConnection(jdbcUrl, p);
    }

    @Override
    public String toString() {
        return "SourceDatabase[" + address + ", user=" + user + "]";
    }
}
