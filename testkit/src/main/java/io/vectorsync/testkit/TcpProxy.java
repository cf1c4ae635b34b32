package io.vectorsync.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a real server, so a test can take the server away from one client — every open
 * connection dropped, new ones refused ({@link #cut()}) — or make it hang — connections accepted, nothing answered
 * ({@link #hang()}) — and give it back, without stopping a server other tests share.
 *
 * <pre>{@code try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 55442)) { ...; proxy.cut(); ...; proxy.restore(); }}</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final Object hangLock = new Object();
    private volatile ServerSocket listener;
    private volatile boolean closed;
    private volatile boolean hung;
    private volatile Thread acceptor;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a proxy to " + host + ":" + port, e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket current = listener;
        listener = null;
        closeQuietly(current);
        awaitAcceptorGone();
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
        held.forEach(TcpProxy::closeQuietly);
        held.clear();
    }

    /**
     * Makes the server hang, as a stalled host does: new connections are accepted but never reach the server, and
     * nothing more is forwarded on open ones (no byte answered, no connection closed) until {@link #restore()}.
     */
    public void hang() {
        hung = true;
    }

    /** Connections currently open through the proxy (client side), including those held by {@link #hang()}. */
    public int connections() {
        return (open.size() / 2) + held.size();
    }

    /**
     * Ends a {@link #cut()} or a {@link #hang()}: accepts connections again on the same port; after a hang the held
     * bytes flow on and connections accepted during the hang are closed, so their clients connect again.
     */
    public synchronized void restore() {
        if (hung) {
            synchronized (hangLock) {
                hung = false;
                hangLock.notifyAll();
            }
            held.forEach(TcpProxy::closeQuietly);
            held.clear();
        }
        if (listener != null || closed) {
            return;
        }
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on 127.0.0.1:" + port + " again", e);
        }
        startAccepting(listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
        restore();
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void startAccepting(ServerSocket server) {
        Thread thread = new Thread(() -> accept(server), "tcp-proxy-" + port);
        thread.setDaemon(true);
        acceptor = thread;
        thread.start();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed by cut() or close()
            }
            if (hung) {
                held.add(client); // accepted, never answered
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            pipe(client, upstream);
            pipe(upstream, client);
            if (listener != server) {
                // cut() ran while this connection was being made: it must not survive the cut.
                closeQuietly(client);
                closeQuietly(upstream);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitNotHung();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away or was cut: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The JDK defers closing a server socket that a thread is blocked accepting on until that thread has left
     * accept(): until then the port still takes connections. A cut is a cut only once the acceptor is gone.
     */
    private void awaitAcceptorGone() {
        Thread thread = acceptor;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitNotHung() throws IOException {
        synchronized (hangLock) {
            while (hung) {
                try {
                    hangLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while hung", e);
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing left to do with a socket that will not close
        }
    }
}
