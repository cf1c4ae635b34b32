package io.vectorsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::echoEveryConnection, "echo");
        server.setDaemon(true);
        server.start();
        proxy = TcpProxy.to("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, 'a')).isEqualTo('a');
        }
    }

    @Test
    void hungProxyAnswersNothingOnOpenOrNewConnectionsUntilRestored() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, 'a')).isEqualTo('a');
            proxy.hang();
            before.getOutputStream().write('b');
            assertThatThrownBy(() -> before.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            try (Socket during = connect()) {
                during.getOutputStream().write('c');
                assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.connections()).isEqualTo(2);

                proxy.restore();
                assertThat(before.getInputStream().read()).isEqualTo('b');
                assertThat(during.getInputStream().read()).as("held connection closed on restore").isEqualTo(-1);
            }
            try (Socket after = connect()) {
                assertThat(roundTrip(after, 'd')).isEqualTo('d');
            }
        }
    }

    @Test
    void cutDropsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, 'a')).isEqualTo('a');
            proxy.cut();
            assertThat(before.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(this::connectFromAnotherPort).isInstanceOf(IOException.class);
            proxy.restore();
            try (Socket after = connect()) {
                assertThat(roundTrip(after, 'b')).isEqualTo('b');
            }
        }
    }

    /**
     * Connects from a local port other than the proxy's: with nothing listening on a loopback port, a client whose
     * ephemeral port happens to be that same port connects to itself (TCP simultaneous open), which is no answer.
     */
    private Socket connectFromAnotherPort() throws IOException {
        Socket socket = new Socket();
        try {
            do {
                socket.close();
                socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } while (socket.getLocalPort() == proxy.port());
            socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 2_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 2_000);
        socket.setSoTimeout(300); // a read that gets no answer in this time counts as "nothing answered"
        return socket;
    }

    private static int roundTrip(Socket socket, char c) throws IOException {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(c);
        out.flush();
        int answer = socket.getInputStream().read();
        socket.setSoTimeout(300);
        return answer;
    }

    private void echoEveryConnection() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            out.write(b);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // client went away
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
