package io.vectorsync.connector.watch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.source.SourceDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Checks every few seconds that each captured table still exists under its configured name, with every column its
 * mappings read. Debezium selects tables by name ({@code table.include.list}), so after {@code ALTER TABLE … RENAME}
 * or {@code DROP TABLE} it goes on quietly without them; a mapped column dropped or renamed dead-letters each later
 * change. This watch makes both loud. It remembers each table's OID, so a rename is told apart from a drop and
 * named, and a table dropped and created again between two checks is logged (its old rows' documents stay in the
 * stores, since a drop deletes no rows one by one). A mapped column whose type changes is logged with both types:
 * changes keep flowing, rendered as Debezium sends the new type.
 *
 * <p>While the source cannot be reached the last answer stands: an unreachable source is the lag monitor's and the
 * connector's to report.
 */
public final class CapturedTableWatch implements AutoCloseable {
    /** How often the tables are checked when the service runs. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(CapturedTableWatch.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String LOOK_UP = "SELECT to_regclass(?)::oid";
    private static final String COLUMNS = """
            SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped""";
    private static final String BY_OID = """
            SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?""";

    private final SourceDatabase source;
    private final Map<TableId, List<CollectionMapping>> mappings = new LinkedHashMap<>();
    private final LongSupplier clock;
    private final Map<TableId, Long> oids = new HashMap<>();
    private final Map<TableId, Map<String, String>> types = new HashMap<>();
    private volatile List<MissingTable> missing = List.of();
    private volatile List<MissingColumn> missingColumns = List.of();
    private Connection connection;
    private ScheduledExecutorService timer;

    /**
     * @param collections every mapped collection
     * @param clock       milliseconds, for {@link MissingTable#sinceMs()}
     */
    public CapturedTableWatch(SourceDatabase source, List<CollectionMapping> collections, LongSupplier clock) {
        this.source = source;
        collections.forEach(c -> mappings.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c));
        this.clock = clock;
    }

    /** Checks now, then every {@code interval} on a thread of its own, and publishes the count as a gauge. */
    public static CapturedTableWatch start(SourceDatabase source, List<CollectionMapping> collections,
                                           Duration interval, MeterRegistry registry) {
        CapturedTableWatch watch = new CapturedTableWatch(source, collections, System::currentTimeMillis);
        Gauge.builder("vectorsync.capture.tables.missing", watch, w -> w.missing().size())
                .description("Captured tables that no longer exist under their configured name (renamed or dropped)")
                .register(registry);
        Gauge.builder("vectorsync.capture.columns.missing", watch, w -> w.missingColumns().size())
                .description("Columns mappings read that their captured table no longer has (dropped or renamed)")
                .register(registry);
        watch.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vectorsync-table-watch");
            t.setDaemon(true);
            return t;
        });
        watch.timer.scheduleWithFixedDelay(watch::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** The captured tables missing at the last check, in configuration order; empty when all are there. */
    public List<MissingTable> missing() {
        return missing;
    }

    /** The mapped columns missing from tables that exist, at the last check. */
    public List<MissingColumn> missingColumns() {
        return missingColumns;
    }

    /** Every problem of the last check as one sentence each: missing tables, then missing columns. */
    public List<String> warnings() {
        List<String> all = new ArrayList<>();
        missing.forEach(m -> all.add(m.describe()));
        missingColumns.forEach(m -> all.add(m.describe()));
        return all;
    }

    /** One check of every table; throws when the source cannot be asked, leaving the last answer in place. */
    public synchronized void check() throws SQLException {
        Map<TableId, MissingTable> before = new HashMap<>();
        missing.forEach(m -> before.put(m.table(), m));
        Map<String, MissingColumn> columnsBefore = new HashMap<>();
        missingColumns.forEach(m -> columnsBefore.put(m.table() + "." + m.column(), m));
        List<MissingTable> now = new ArrayList<>();
        List<MissingColumn> columnsNow = new ArrayList<>();
        Connection c = connection();
        try {
            for (Map.Entry<TableId, List<CollectionMapping>> e : mappings.entrySet()) {
                TableId table = e.getKey();
                List<String> names = e.getValue().stream().map(CollectionMapping::name).toList();
                Optional<Long> oid = oid(c, table);
                Long known = oids.get(table);
                if (oid.isEmpty()) {
                    MissingTable gone = before.get(table);
                    if (gone == null) {
                        gone = new MissingTable(table, names, known == null ? Optional.empty() : nameOf(c, known),
                                clock.getAsLong());
                        LOG.error(gone.describe());
                    }
                    now.add(gone);
                    continue;
                }
                if (known != null && !known.equals(oid.get())) {
                    LOG.warn("captured table {} (collections {}) was dropped and created again: documents of rows the"
                            + " old table still held stay in the stores; 'vectorsync validate' lists them as orphaned"
                            + " and --repair deletes them", table, names);
                    types.remove(table);
                }
                oids.put(table, oid.get());
                if (before.containsKey(table)) {
                    LOG.info("captured table {} exists again; its changes are captured", table);
                }
                columnsNow.addAll(checkColumns(table, e.getValue(), columnTypes(c, oid.get()), columnsBefore));
            }
        } catch (SQLException e) {
            closeConnection();
            throw e;
        }
        missing = List.copyOf(now);
        missingColumns = List.copyOf(columnsNow);
    }

    /** The mapped columns of one existing table: missing ones returned, type changes logged. */
    private List<MissingColumn> checkColumns(TableId table, List<CollectionMapping> readers, Map<String, String> actual,
                                             Map<String, MissingColumn> before) {
        Map<String, List<String>> readBy = new LinkedHashMap<>();
        readers.forEach(m -> m.columns().forEach(col -> readBy.computeIfAbsent(col, x -> new ArrayList<>())
                .add(m.name())));
        Map<String, String> knownTypes = types.computeIfAbsent(table, t -> new HashMap<>());
        List<MissingColumn> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> col : readBy.entrySet()) {
            String name = col.getKey();
            String key = table + "." + name;
            String type = actual.get(name);
            if (type == null) {
                MissingColumn gone = before.get(key);
                if (gone == null) {
                    gone = new MissingColumn(table, name, col.getValue(), clock.getAsLong());
                    LOG.error(gone.describe());
                }
                out.add(gone);
                continue;
            }
            if (before.containsKey(key)) {
                LOG.info("column '{}' of {} is back; changes of the table flow again", name, table);
            }
            String was = knownTypes.put(name, type);
            if (was != null && !was.equals(type)) {
                LOG.warn("column '{}' of {}, read by {}, changed type from {} to {}: changes keep flowing, its values"
                        + " rendered as Debezium sends the new type", name, table, col.getValue(), was, type);
            }
        }
        return out;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("cannot check the captured tables in {} now: {}", source.address(), e.getMessage());
        }
    }

    private static Optional<Long> oid(Connection c, TableId table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOOK_UP)) {
            s.setString(1, table.quoted());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long oid = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(oid);
            }
        }
    }

    private static Map<String, String> columnTypes(Connection c, long oid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(COLUMNS)) {
            s.setLong(1, oid);
            Map<String, String> out = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        }
    }

    private static Optional<String> nameOf(Connection c, long oid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(BY_OID)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) + "." + rs.getString(2)) : Optional.empty();
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = source.connect("vectorsync-table-watch", TIMEOUT, TIMEOUT);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already; a new one is opened on the next check
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        closeConnection();
    }
}
