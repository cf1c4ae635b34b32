package io.vectorsync.sink.preflight;

import io.vectorsync.core.config.PostgresTls;

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
    public static Connection connect(String url, String user, String password, PostgresTls tls, Duration timeout)
            throws SQLException {
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        p.setProperty("socketTimeout", seconds);
        p.setProperty("ApplicationName", "vectorsync-preflight");
        tls.applyTo(p);
        return DriverManager.getConnection(url, p);
    }

    /**
     * The FAIL row for a connection that could not be opened, its fix chosen by the SQLState.
     *
     * @param address      where the server is, as the user configured it (no credentials)
     * @param addressKeys  the keys that say where the server is
     * @param userKeys     the keys holding the user and password
     * @param databaseKey  the key naming the database
     * @param tlsPrefix    the prefix of the TLS keys, e.g. {@code source.} for {@code source.sslmode}
     */
    public static CheckResult unreachable(String check, String address, SQLException e, String addressKeys, String userKeys,
                                   String databaseKey, String tlsPrefix) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String clientCertMessage = clientCertificateMessage(e);
        boolean clientCert = clientCertMessage != null;
        String detail = "cannot connect to PostgreSQL at " + address + ": "
                + (clientCert ? "client certificate refused: " + clientCertMessage
                + (clientCertMessage.equals(Failures.describe(e)) ? "" : " (" + Failures.describe(e) + ")")
                : (isTls(e) ? "TLS refused: " : "") + Failures.describe(e))
                + (state.isEmpty() ? "" : " (SQLState " + state + ")");
        String fix;
        if (clientCert) {
            fix = "present this user's client certificate: set " + tlsPrefix + "sslcert and " + tlsPrefix + "sslkey"
                    + " to a certificate signed by a CA the server trusts (its ssl_ca_file) whose CN is the user in "
                    + tlsPrefix + "user (unless pg_ident.conf maps names), with its key as PKCS-8 DER (.pk8, e.g."
                    + " openssl pkcs8 -topk8 -outform DER -nocrypt) or PKCS-12 (.p12), and "
                    + tlsPrefix + "sslpassword if the key is encrypted";
        } else if (isTls(e)) {
            fix = "check " + tlsPrefix + "sslmode and " + tlsPrefix + "sslrootcert: with verify-ca or verify-full the"
                    + " server's certificate must be signed by the CA in " + tlsPrefix + "sslrootcert (and, for"
                    + " verify-full, name the host you connect to); or enable ssl on the server";
        } else if (state.startsWith("28")) {
            fix = "correct " + userKeys + ", or allow this user and host in pg_hba.conf";
        } else if (state.equals("3D000")) {
            fix = "create the database, or correct " + databaseKey;
        } else {
            fix = "start PostgreSQL at " + address + ", or correct " + addressKeys;
        }
        return CheckResult.fail(check, detail, fix);
    }

    /**
     * Why the server refused the login for want of the right client certificate (pg_hba {@code cert}, or
     * {@code clientcert=verify-full}), or why the driver could not load the configured certificate or key (its
     * message names the file; the cause underneath, e.g. "extra data at the end" for a PEM key, does not); null when
     * the failure is something else.
     */
    private static String clientCertificateMessage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("requires a valid client certificate")
                    || m.contains("certificate authentication failed") || m.contains("SSL key file")
                    || m.contains("SSL certificate file") || m.contains("into a KeyManager failed"))) {
                return m.replaceAll("\\s+", " ").trim();
            }
        }
        return null;
    }

    /** Whether the connection failed on TLS: a handshake or certificate error, or a server without TLS. */
    static boolean isTls(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.startsWith("SSL error") || m.contains("does not support SSL"))) {
                return true;
            }
        }
        return false;
    }
}
