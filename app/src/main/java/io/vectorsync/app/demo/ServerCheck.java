package io.vectorsync.app.demo;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.model.SinkName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before anything starts, that the servers a configuration names answer at all, so a newcomer who has not
 * started them gets one line telling what to do instead of a page of retries from the Kafka and JDBC clients.
 */
public final class ServerCheck {
    private static final int TIMEOUT_MS = 3000;

    private ServerCheck() {
    }

    /**
     * One line naming every server that does not answer and what to do, ending with {@code hint}; empty when all
     * answer.
     */
    public static Optional<String> problem(AppConfig config, String hint) {
        List<String> down = unreachable(config);
        if (down.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" and ", down) + (down.size() == 1 ? " is" : " are") + " not reachable: "
                + hint);
    }

    /** One description per server that does not answer; empty when all do. */
    public static List<String> unreachable(AppConfig config) {
        List<String> problems = new ArrayList<>();
        JdbcUrl source = JdbcUrl.of(config.source().host(), config.source().port(), "postgres");
        postgres(source, config.source().user(), config.source().password()).ifPresent(problems::add);
        kafka(config.kafka().bootstrapServers()).ifPresent(problems::add);
        for (SinkName store : config.storesInUse()) {
            String server = config.store(store).server();
            if (!server.equals(source.server())) {
                hostPort(store.id(), server).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static Optional<String> postgres(JdbcUrl server, String user, String password) {
        try (Connection ignored = Jdbc.connect(server, user, password)) {
            return Optional.empty();
        } catch (SQLException e) {
            // Class 08 is "cannot connect": the usual case, the server is not started. Anything else is worth quoting.
            boolean noAnswer = e.getSQLState() != null && e.getSQLState().startsWith("08");
            return Optional.of("PostgreSQL at " + server.server() + (noAnswer ? "" : " (" + Jdbc.describe(e) + ")"));
        }
    }

    /** Kafka answers when any bootstrap server accepts a TCP connection; the clients do the rest. */
    private static Optional<String> kafka(String bootstrap) {
        Set<String> tried = new LinkedHashSet<>();
        for (String server : bootstrap.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon < 1) {
                continue;
            }
            tried.add(s);
            try {
                if (accepts(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)))) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // try the next one
            }
        }
        return Optional.of("Kafka at " + String.join(",", tried.isEmpty() ? Set.of(bootstrap) : tried));
    }

    /** A store answers when its server's host and port accept a TCP connection. */
    private static Optional<String> hostPort(String store, String server) {
        int colon = server.lastIndexOf(':');
        try {
            if (colon > 0 && accepts(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)))) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            // reported as not reachable below, with the address as configured
        }
        return Optional.of(store + " at " + server);
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
