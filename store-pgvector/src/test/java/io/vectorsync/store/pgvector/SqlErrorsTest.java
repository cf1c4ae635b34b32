package io.vectorsync.store.pgvector;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {

    @Test
    void aServerThatStoppedAnsweringIsNamedAsSuch() {
        PSQLException e = new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out"));

        assertThat(SqlErrors.timedOut(e)).isTrue();
        assertThat(SqlErrors.describe(e)).isEqualTo("no answer within sink.pgvector.timeout.ms: An I/O error"
                + " occurred while sending to the backend. (SQLState 08006)");
    }

    @Test
    void otherFailuresAreWordedAsTheDriverWordsThem() {
        PSQLException e = new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        assertThat(SqlErrors.timedOut(e)).isFalse();
        assertThat(SqlErrors.describe(e)).isEqualTo("Connection refused (SQLState 08001)");
    }
}
