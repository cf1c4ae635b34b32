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
}
