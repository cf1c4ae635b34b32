package io.vectorsync.core.source;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailFastSocketFactoryTest {

    @Test
    void afterAReadTimedOutEveryLaterReadTimesOutAtOnceWithoutWaitingOnTheSocket() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new FailFastSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                     silent.getLocalPort());
             Socket accepted = silent.accept()) {
            client.setSoTimeout(50);
            InputStream in = client.getInputStream();

            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageNotContaining("earlier read");
            // The server answers now, but the connection was given up: it is not read any more.
            accepted.getOutputStream().write(new byte[]{1, 2, 3});
            accepted.getOutputStream().flush();
            assertThatThrownBy(() -> in.read(new byte[8], 0, 8)).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("an earlier read on this connection timed out");
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("an earlier read on this connection timed out");
        }
    }

    @Test
    void aSocketThatNeverTimedOutReadsAsAnyOther() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new FailFastSocketFactory().createSocket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.getOutputStream().write(new byte[]{7, 8});
            accepted.getOutputStream().flush();
            client.setSoTimeout(10_000);
            byte[] buffer = new byte[2];
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo(7);
            assertThat(in.read(buffer, 0, 1)).isEqualTo(1);
            assertThat(buffer[0]).isEqualTo((byte) 8);
            assertThat(client.getInputStream()).isSameAs(in);
        }
    }

    /**
     * Why Debezium's replication connection does not use these sockets (docs/reliability.md): pgjdbc's non-blocking
     * read of a replication stream ({@code PGReplicationStream.readPending}, which Debezium polls) asks whether a
     * message is pending by reading with a 1 ms {@code SO_TIMEOUT} and taking the timeout for "no". Here that first
     * idle poll marks the connection given up, and the changes that arrive afterwards are never read.
     */
    @Test
    void aOneMillisecondPollAsPgjdbcsNonBlockingReadDoesGivesTheConnectionUp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new FailFastSocketFactory().createSocket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            InputStream in = client.getInputStream();
            client.setSoTimeout(1);
            assertThatThrownBy(in::read).as("nothing pending yet").isInstanceOf(SocketTimeoutException.class);
            client.setSoTimeout(0);
            accepted.getOutputStream().write(new byte[]{42});
            accepted.getOutputStream().flush();

            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("an earlier read on this connection timed out");
        }
    }
}
