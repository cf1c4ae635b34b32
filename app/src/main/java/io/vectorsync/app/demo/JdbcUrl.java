package io.vectorsync.app.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a {@code jdbc:postgresql://host:port/database?params} URL that the demo needs: the server, to check it
 * answers, and the database, to create it when missing.
 */
public record JdbcUrl(String host, int port, String database, String query) {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

    /** @throws DemoException when the URL has another shape (several hosts, no database) */
    public static JdbcUrl parse(String url) {
        Matcher m = URL.matcher(url == null ? "" : url.trim());
        if (!m.matches() || m.group(3).isEmpty()) {
            throw new DemoException("cannot read host, port and database from the JDBC URL '" + safe(url)
                    + "'; expected jdbc:postgresql://host:port/database");
        }
        return new JdbcUrl(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), m.group(3),
                m.group(4) == null ? "" : m.group(4));
    }

    public static JdbcUrl of(String host, int port, String database) {
        return new JdbcUrl(host, port, database, "");
    }

    /** The same server and parameters, another database. */
    public JdbcUrl withDatabase(String other) {
        return new JdbcUrl(host, port, other, query);
    }

    public String url() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + query;
    }

    /** {@code host:port}, for messages. */
    public String server() {
        return host + ":" + port;
    }

    private static String safe(String url) {
        // The query string may carry a password.
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? String.valueOf(url) : url.substring(0, q) + "?****";
    }
}
