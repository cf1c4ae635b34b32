package io.vectorsync.migration.lag;

/**
 * The source database and the replication slot of its connector, whose lag the monitor reads. The connector's
 * {@code source.*} settings, as its {@code ConnectorConfig} holds them. The password never appears in
 * {@link #toString()}.
 */
public record SlotSource(String host, int port, String database, String user, String password, String slotName) {

    /** {@code host:port/database}, as the connector names the source: never with credentials. */
    public String address() {
        return host + ":" + port + "/" + database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "SlotSource[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password == null || password.isEmpty() ? "" : "****") + ", slotName=" + slotName
                + "]";
    }
}
