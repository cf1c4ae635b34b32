package io.vectorsync.sink.preflight;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight row for a PostgreSQL that refused the connection names the keys to fix; here for the refusals of
 * a client-certificate login (the server's and the driver's messages, as {@code PostgresTlsIT} gets them).
 */
class PostgresUnreachableTest {

    private static CheckResult row(SQLException e) {
        return Postgres.unreachable("source.reachable", "db:5432/app", e, "source.host / source.port",
                "source.user / source.password", "source.database", "source.");
    }

    @Test
    void aServerAskingForAClientCertificateIsAnsweredWithTheCertificateKeys() {
        CheckResult missing = row(new SQLException("FATAL: connection requires a valid client certificate", "28000"));
        CheckResult otherName = row(new SQLException("FATAL: certificate authentication failed for user \"vs\"",
                "28000"));

        for (CheckResult r : new CheckResult[] {missing, otherName}) {
            assertThat(r.detail()).startsWith("cannot connect to PostgreSQL at db:5432/app: client certificate"
                    + " refused: FATAL: ");
            assertThat(r.fix()).contains("source.sslcert and source.sslkey", "whose CN is the user in source.user",
                    "PKCS-8 DER (.pk8");
        }
    }

    @Test
    void aKeyTheDriverCannotReadIsAClientCertificateProblem() {
        CheckResult r = row(new SQLException("Could not read SSL key file /etc/vs/client.key.", "08006",
                new IllegalArgumentException("bad key")));

        assertThat(r.detail()).endsWith("client certificate refused: Could not read SSL key file /etc/vs/client.key."
                + " (bad key) (SQLState 08006)");
        assertThat(r.fix()).contains("source.sslkey");
    }

    @Test
    void aWrongPasswordIsStillAnsweredWithTheUserKeys() {
        CheckResult r = row(new SQLException("FATAL: password authentication failed for user \"vs\"", "28P01"));

        assertThat(r.detail()).doesNotContain("certificate");
        assertThat(r.fix()).isEqualTo("correct source.user / source.password, or allow this user and host in"
                + " pg_hba.conf");
    }
}
