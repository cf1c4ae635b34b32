package io.vectorsync.drill;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.testkit.TcpProxy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sink processes' way to one store: a {@link TcpProxy} in front of the real server, so the drill can cut the
 * store ({@link #cut()}) or make it hang ({@link #hang()}) for the sinks only, while the audit reads it directly.
 */
public final class StoreLink implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("^([a-z:+]+//)([^:/]+):(\\d+)(.*)$");

    private final SinkName store;
    private final String direct;
    private final TcpProxy proxy;
    private final Matcher parts;

    private StoreLink(SinkName store, String direct) {
        this.store = store;
        this.direct = direct;
        this.parts = ADDRESS.matcher(direct);
        if (!parts.matches()) {
            throw new IllegalArgumentException(store + " address '" + direct + "' is not scheme://host:port...");
        }
        this.proxy = TcpProxy.to(parts.group(2), Integer.parseInt(parts.group(3)));
    }

    /** @param direct the store's real address: a JDBC URL, a Bolt URI or Milvus's http:// address */
    public static StoreLink to(SinkName store, String direct) {
        return new StoreLink(store, direct);
    }

    public SinkName store() {
        return store;
    }

    /** The address the sinks are given: the same as the real one, through the proxy. */
    public String address() {
        return parts.group(1) + proxy.host() + ":" + proxy.port() + parts.group(4);
    }

    public String direct() {
        return direct;
    }

    public void cut() {
        proxy.cut();
    }

    public void hang() {
        proxy.hang();
    }

    public void restore() {
        proxy.restore();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
