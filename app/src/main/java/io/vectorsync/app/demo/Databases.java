package io.vectorsync.app.demo;

import io.vectorsync.core.model.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates databases that are missing, through the server's {@code postgres} database. */
public final class Databases {
    private static final String DUPLICATE_DATABASE = "42P04";

    private Databases() {
    }

    /** @return true when the database was created, false when it was already there */
    public static boolean ensure(JdbcUrl server, String user, String password, String database) {
        try (Connection c = Jdbc.connect(server.withDatabase("postgres"), user, password)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + Identifiers.quote(database));
                return true;
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    // Someone else created it in between: that is all we wanted.
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DemoException("cannot create database '" + database + "' on " + server.server() + ": "
                    + Jdbc.describe(e), e);
        }
    }
}
