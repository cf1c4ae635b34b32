package io.vectorsync.sink.preflight;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Short-lived JDBC connections for the PostgreSQL checks, and what to do when one cannot be opened. */
public final class Postgres {
    private Postgres() {
    }

    /** Connects, or fails within about {@code timeout}; every statement on it is bounded by the same timeout. */
    public static Connection connect(String url, String user, String password, Duration timeout) throws SQLException {
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        p.setProperty("socketTimeout", seconds);
        p.setProperty("ApplicationName", "vectorsync-preflight");
        return DriverManager.getConnection(url, p);
    }

    /**
     * The FAIL row for a connection that could not be opened, its fix chosen by the SQLState.
     *
     * @param address      where the server is, as the user configured it (no credentials)
     * @param addressKeys  the keys that say where the server is
     * @param userKeys     the keys holding the user and password
     * @param databaseKey  the key naming the database
     */
    public static CheckResult unreachable(String check, String address, SQLException e, String addressKeys, String userKeys,
                                   String databaseKey) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = "cannot connect to PostgreSQL at " + address + ": " + Failures.describe(e)
                + (state.isEmpty() ? "" : " (SQLState " + state + ")");
        String fix;
        if (state.startsWith("28")) {
            fix = "correct " + userKeys + ", or allow this user and host in pg_hba.conf";
        } else if (state.equals("3D000")) {
            fix = "create the database, or correct " + databaseKey;
        } else {
            fix = "start PostgreSQL at " + address + ", or correct " + addressKeys;
        }
        return CheckResult.fail(check, detail, fix);
    }
}
