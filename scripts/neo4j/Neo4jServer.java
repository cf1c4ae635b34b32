import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Neo4j 5.26 server for local demos and tests, run by scripts/lib/neo4j.sh with Java's single-file source launch on
 * the neo4j-harness jars:
 *
 * <pre>java -cp "LIBS/*" scripts/neo4j/Neo4jServer.java --port 17687 --dir RUN/neo4j</pre>
 *
 * Bolt only (no HTTP), on 127.0.0.1, without auth or TLS. The database lives in DIR/data and is kept across
 * restarts: the harness would otherwise put it in a random folder it deletes on close. DIR/home is the harness's
 * scratch folder, emptied at every start. Writes DIR/ready once a query went through Bolt, and stops on SIGTERM.
 */
public final class Neo4jServer {

    public static void main(String[] args) throws Exception {
        int port = -1;
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]).toAbsolutePath();
                default -> usage("unknown option " + args[i]);
            }
        }
        if (port < 1 || dir == null || args.length % 2 != 0) {
            usage("--port and --dir are required");
        }
        Path ready = dir.resolve("ready");
        Files.deleteIfExists(ready);
        Path home = dir.resolve("home");
        deleteRecursively(home);
        Files.createDirectories(home);

        long start = System.nanoTime();
        Neo4j neo4j;
        try {
            neo4j = Neo4jBuilders.newInProcessBuilder(home)
                    .withDisabledServer()
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .withConfig(GraphDatabaseSettings.auth_enabled, false)
                    .withConfig(GraphDatabaseSettings.data_directory, dir.resolve("data"))
                    .withConfig(GraphDatabaseSettings.logs_directory, dir.resolve("logs"))
                    .withConfig(GraphDatabaseSettings.pagecache_memory, 128L * 1024 * 1024)
                    // Tests write 10k-vector batches over and over: keep the transaction logs small.
                    .withConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
                    // Preallocation fails on some file systems (overlayfs) and only fills debug.log with warnings.
                    .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // Bolt's defaults wait about 15 s for idle connections and Netty on shutdown; nothing to drain here.
                    .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                    .build();
        } catch (RuntimeException e) {
            // Exit rather than linger on whatever threads the failed start left behind: services.sh waits for us.
            e.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j: stopping");
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                System.err.println("neo4j: could not delete " + ready + ": " + e);
            }
            neo4j.close();
            System.out.println("neo4j: stopped");
            stopped.countDown();
        }, "neo4j-shutdown"));

        String uri = "bolt://127.0.0.1:" + port;
        try {
            checkBolt(uri);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        Path tmp = dir.resolve("ready.tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + " " + uri + "\n");
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("neo4j: ready on %s (data %s) in %.1f s%n", uri, dir.resolve("data"),
                (System.nanoTime() - start) / 1e9);
        stopped.await();
    }

    /** Readiness: a real Bolt connection runs a query, so the port is not merely open. */
    private static void checkBolt(String uri) {
        Config config = Config.builder().withoutEncryption()
                .withConnectionTimeout(10, TimeUnit.SECONDS).build();
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.none(), config);
             Session session = driver.session()) {
            long one = session.run("RETURN 1 AS one").single().get("one").asLong();
            if (one != 1) {
                throw new IllegalStateException("RETURN 1 over Bolt returned " + one);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void usage(String problem) {
        System.err.println("Neo4jServer: " + problem + "\nusage: java -cp 'LIBS/*' Neo4jServer.java --port PORT --dir DIR");
        System.exit(2);
    }
}
