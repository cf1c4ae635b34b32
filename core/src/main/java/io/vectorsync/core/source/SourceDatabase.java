package io.vectorsync.core.source;

import io.vectorsync.core.config.PostgresTls;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the source PostgreSQL is and who connects to it: the one place that opens a plain JDBC connection to the
 * source, for the connector's set-up, backfills, re-drive, the schema check, the lag monitor, the validator and the
 * bench. Debezium opens its own replication connection from the same values, TLS settings included. The password never appears in
 * {@link #toString()} or {@link #address()}.
 */
public record SourceDatabase(String host, int port, String database, String user, String password,
                             PostgresTls tls) {
    public SourceDatabase {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        tls = tls == null ? PostgresTls.DEFAULT : tls;
    }

    /** A source with the driver's default TLS (prefer). */
    public SourceDatabase(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, PostgresTls.DEFAULT);
    }

    /** {@code host:port/database}: how problems and logs name the source, never with credentials. */
    public String address() {
        return host + ":" + port + "/" + database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * A new connection, or an {@link SQLException} within about {@code connectTimeout}.
     *
     * @param application   how the session shows in {@code pg_stat_activity}, e.g. {@code vectorsync-redrive}
     * @param socketTimeout the longest wait for any answer on the connection; {@link Duration#ZERO} waits forever
     *                      (for long statements that set their own timeout)
     */
    public Connection connect(String application, Duration connectTimeout, Duration socketTimeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", application);
        tls.applyTo(p);
        p.setProperty("socketFactory", FailFastSocketFactory.CLASS_NAME);
        p.setProperty("connectTimeout", Long.toString(wholeSeconds(connectTimeout)));
        p.setProperty("loginTimeout", Long.toString(wholeSeconds(connectTimeout)));
        if (!socketTimeout.isZero()) {
            p.setProperty("socketTimeout", Long.toString(wholeSeconds(socketTimeout)));
        }
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** The driver takes whole seconds: rounded up, at least one. */
    static long wholeSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Override
    public String toString() {
        return "SourceDatabase[" + address() + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "****")
                + "]";
    }
}
