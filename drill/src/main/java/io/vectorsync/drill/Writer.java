package io.vectorsync.drill;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes to the source at a steady pace on its own thread: inserts, text updates, metadata-only updates and deletes,
 * drawn from the seed over a small key space so that many land on the same keys, sometimes several in one
 * transaction. Table {@code articles} (one id column) and {@code notes} (key {@code tenant, note_no}). While the
 * source is down (a restart fault) it reconnects and goes on; any other error stops it and is reported by
 * {@link #stop()}.
 */
public final class Writer implements AutoCloseable {
    /** Ids from here on are the hostile rows the fault injector writes; the writer never touches them. */
    public static final int HOSTILE_IDS = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final int ARTICLE_KEYS = 300;
    private static final int NOTE_KEYS = 60;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final List<String> WORDS = List.of("stream", "vector", "graph", "replica", "offset", "ledger",
            "harbor", "lantern", "orchard", "meadow", "river", "signal", "archive", "compass", "granite", "tide",
            "embedding", "cluster", "window", "summit", "thread", "beacon", "quartz", "violet");
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);

    private final String jdbcUrl;
    private final Random random;
    private final long intervalNanos;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running;
    private Thread thread;
    private Connection connection;

    public Writer(String jdbcUrl, long seed, int perSecond) {
        this.jdbcUrl = jdbcUrl;
        this.random = new Random(seed);
        this.intervalNanos = 1_000_000_000L / perSecond;
    }

    /** Creates both tables; full replica identity on notes, so its updates carry the old row too. */
    public static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE articles (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL,"
                    + " author text NOT NULL, category text NOT NULL)");
            s.execute("CREATE TABLE notes (tenant text, note_no int, body text NOT NULL, tag text NOT NULL,"
                    + " PRIMARY KEY (tenant, note_no))");
            s.execute("ALTER TABLE notes REPLICA IDENTITY FULL");
        }
    }

    /**
     * The collections' mappings, {@code articles_<suffix>} and {@code notes_<suffix>} (the stores are shared with
     * other tests and earlier drills): template, metadata and all three stores.
     */
    public static void mapCollections(Map<String, String> config, String suffix) {
        config.put("collections.articles_" + suffix + ".table", "public.articles");
        config.put("collections.articles_" + suffix + ".id", "id");
        config.put("collections.articles_" + suffix + ".template", "{title}: {body}");
        config.put("collections.articles_" + suffix + ".metadata", "author,category");
        config.put("collections.articles_" + suffix + ".sinks", "pgvector,neo4j,milvus");
        config.put("collections.notes_" + suffix + ".table", "public.notes");
        config.put("collections.notes_" + suffix + ".id", "tenant,note_no");
        config.put("collections.notes_" + suffix + ".template", "{tenant} #{note_no}: {body}");
        config.put("collections.notes_" + suffix + ".metadata", "tag");
        config.put("collections.notes_" + suffix + ".sinks", "pgvector,neo4j,milvus");
    }

    public void start() {
        running = true;
        thread = new Thread(this::run, "drill-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops writing and waits for the thread.
     *
     * @throws IllegalStateException when the writer stopped on an error of its own
     */
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join();
        }
        closeConnection();
        if (failure.get() != null) {
            throw new IllegalStateException("the writer failed", failure.get());
        }
    }

    public long transactions() {
        return transactions.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Inserts one article outside the writer's key space, with {@code body} as its text; a fresh connection. */
    public void insertHostileArticle(int id, String title, String body) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO articles (id, title, body, author, category) VALUES (?, ?, ?, 'drill', 'hostile')")) {
            ps.setInt(1, id);
            ps.setString(2, title);
            ps.setString(3, body);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join();
        }
        closeConnection();
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                    connection.setAutoCommit(false);
                }
                writeOne(connection);
                transactions.incrementAndGet();
            } catch (SQLException e) {
                if (!isConnectionLoss(e)) {
                    failure.set(e);
                    running = false;
                    return;
                }
                closeConnection();
                reconnects.incrementAndGet();
                LOG.debug("writer lost the source ({}); reconnecting", e.getMessage());
                // The source is restarting: a pace between attempts, not a wait for a condition.
                LockSupport.parkNanos(RECONNECT_PAUSE.toNanos());
            } catch (RuntimeException e) {
                failure.set(e);
                running = false;
                return;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // the writer's steady pace
            } else {
                next = System.nanoTime();
            }
        }
    }

    private void writeOne(Connection c) throws SQLException {
        try {
            int ops = random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1;
            boolean article = random.nextInt(3) != 0;
            int key = random.nextInt(article ? ARTICLE_KEYS : NOTE_KEYS) + 1;
            String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
            for (int i = 0; i < ops; i++) {
                int op = random.nextInt(10);
                if (article) {
                    article(c, op, key);
                } else {
                    note(c, op, tenant, key);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the caller reconnects
            }
            throw e;
        }
    }

    /** 0-3 insert or replace, 4-5 text update, 6-7 metadata-only update, 8-9 delete. */
    private void article(Connection c, int op, int id) throws SQLException {
        if (op <= 3) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO articles (id, title, body, author, category)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title,"
                    + " body = EXCLUDED.body, author = EXCLUDED.author, category = EXCLUDED.category")) {
                ps.setInt(1, id);
                ps.setString(2, "Article " + id);
                ps.setString(3, sentence());
                ps.setString(4, word());
                ps.setString(5, word());
                ps.executeUpdate();
            }
        } else if (op <= 5) {
            update(c, "UPDATE articles SET body = ? WHERE id = ?", sentence(), id);
        } else if (op <= 7) {
            update(c, "UPDATE articles SET " + (op == 6 ? "author" : "category") + " = ? WHERE id = ?", word(), id);
        } else {
            update(c, "DELETE FROM articles WHERE id = ?", null, id);
        }
    }

    private void note(Connection c, int op, String tenant, int no) throws SQLException {
        if (op <= 3) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (tenant, note_no, body, tag)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (tenant, note_no) DO UPDATE SET body = EXCLUDED.body,"
                    + " tag = EXCLUDED.tag")) {
                ps.setString(1, tenant);
                ps.setInt(2, no);
                ps.setString(3, sentence());
                ps.setString(4, word());
                ps.executeUpdate();
            }
            return;
        }
        String sql = op <= 5 ? "UPDATE notes SET body = ? WHERE tenant = ? AND note_no = ?"
                : op <= 7 ? "UPDATE notes SET tag = ? WHERE tenant = ? AND note_no = ?"
                : "DELETE FROM notes WHERE tenant = ? AND note_no = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (op <= 7) {
                ps.setString(i++, op <= 5 ? sentence() : word());
            }
            ps.setString(i++, tenant);
            ps.setInt(i, no);
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, String value, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (value != null) {
                ps.setString(i++, value);
            }
            ps.setInt(i, id);
            ps.executeUpdate();
        }
    }

    private String sentence() {
        int n = 6 + random.nextInt(14);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(word());
        }
        return s.append('.').toString();
    }

    private String word() {
        return WORDS.get(random.nextInt(WORDS.size()));
    }

    /** Connection lost or refused, or the server shutting down: SQLSTATE classes 08 and 57P. */
    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
            connection = null;
        }
    }
}
