package io.vectorsync.core.source;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The sockets the PostgreSQL driver opens (its {@code socketFactory}): plain sockets whose reads, once one has timed
 * out, time out at once. The driver gives a connection up after a socket timeout and closes it; over TLS, the JDK's
 * close first reads what is left of the input (TLS 1.3), which waits a whole socket timeout again on a server that
 * stopped answering. With these sockets a hung server fails a call within one socket timeout, over TLS as without.
 */
public final class FailFastSocketFactory extends SocketFactory {

    /** The driver's {@code socketFactory} property value. */
    public static final String CLASS_NAME = FailFastSocketFactory.class.getName();

    @Override
    public Socket createSocket() {
        return new FailFastSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new FailFastSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = new FailFastSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    private static Socket connected(InetSocketAddress address) throws IOException {
        Socket s = new FailFastSocket();
        s.connect(address);
        return s;
    }

    /** A socket whose input, after a read timed out, times out at once. */
    static final class FailFastSocket extends Socket {
        private volatile boolean timedOut;
        private InputStream input;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        check();
                        try {
                            return super.read();
                        } catch (SocketTimeoutException e) {
                            timedOut = true;
                            throw e;
                        }
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        check();
                        try {
                            return super.read(b, off, len);
                        } catch (SocketTimeoutException e) {
                            timedOut = true;
                            throw e;
                        }
                    }
                };
            }
            return input;
        }

        private void check() throws SocketTimeoutException {
            if (timedOut) {
                throw new SocketTimeoutException("an earlier read on this connection timed out");
            }
        }
    }
}
