package io.vectorsync.connector.redrive;

import io.vectorsync.connector.CdcPublisher;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.connector.SignalTable;
import io.vectorsync.connector.SnapshotSignal;
import io.vectorsync.core.Topics;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.debezium.DeleteEvent;
import io.vectorsync.core.model.TableId;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Sends rows through the pipeline again, for keys a validation found missing, stale or orphaned in a store: rows the
 * source holds are read again by Debezium (an incremental snapshot filtered to their keys), and for rows it no
 * longer holds a delete change event is published as Debezium would have. Either way the change takes the normal
 * path (streams, every sink, LSN guards), so a re-drive can never leave a store newer than the source.
 *
 * <p>Opens one JDBC connection to the source and one Kafka producer, each on first use. Methods are synchronized;
 * one re-drive at a time.
 */
public final class Redriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redriver.class);
    private static final String SIGNAL_PREFIX = "redrive-";
    /** The Debezium version whose events the synthetic deletes mirror. */
    private static final String DEBEZIUM_VERSION = io.debezium.connector.postgresql.Module.version();
    /** Keys looked up in the source per query: the values travel as arrays, so this bounds memory only. */
    private static final int LOOKUP_BATCH = 1_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorConfig source;
    private final KafkaConfig kafka;
    private final SignalTable signals;
    private final Clock clock;
    private Connection connection;
    private KafkaProducer<String, String> producer;

    public Redriver(ConnectorConfig source, KafkaConfig kafka) {
        this(source, kafka, Clock.systemUTC());
    }

    Redriver(ConnectorConfig source, KafkaConfig kafka, Clock clock) {
        this.source = source;
        this.kafka = kafka;
        this.signals = new SignalTable(source.signalTable());
        this.clock = clock;
    }

    /**
     * Asks Debezium to read these rows again: an incremental snapshot of {@code table} filtered to the keys, through
     * the signal table (source.signal.table), in chunks of at most 500 keys per signal. Each key is the id column
     * values as text, in idColumns order. Returns the signal ids. The connector must be running.
     *
     * <p>More precisely: keys go in as few signals as fit (at most 500 keys each, and no more than the signal
     * table's data column holds), written in one transaction, so Debezium gets all of them or none. Each filter is
     * planned by PostgreSQL first, so a value that is not valid for its column fails here, not in the connector.
     * A signal written while the connector is stopped is read when it resumes; a table the connector does not
     * capture is ignored by Debezium. The rows come as incremental-snapshot reads (op "r"); a backfill running on
     * the same table is not ended by them (see {@code BackfillTracker}).
     *
     * @param table     the source table, as captured
     * @param idColumns the columns the keys name, e.g. the collection's id columns
     * @param keys      each key's values as text, in {@code idColumns} order; the empty list writes nothing
     * @return the ids of the signals written, in order
     * @throws IllegalArgumentException when a key does not have one non-null value per id column, an id column is
     *                                  not an identifier, or a value is not valid for its column
     * @throws RedriveException         when the source cannot be reached or refuses the signals
     */
    public synchronized List<String> reread(TableId table, List<String> idColumns, List<List<String>> keys) {
        KeyFilter.requireKeys(idColumns, keys);
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            Connection c = connection();
            List<List<List<String>>> chunks = KeyFilter.chunks(table, idColumns, keys, signals.dataLimit(c));
            List<String> filters = new ArrayList<>(chunks.size());
            for (List<List<String>> chunk : chunks) {
                String filter = KeyFilter.in(idColumns, chunk);
                checkFilter(c, table, filter);
                filters.add(filter);
            }
            List<String> ids = new ArrayList<>(filters.size());
            c.setAutoCommit(false);
            try {
                for (String filter : filters) {
                    String id = SIGNAL_PREFIX + UUID.randomUUID().toString().replace("-", "");
                    signals.insert(c, id, SnapshotSignal.incremental(table, filter));
                    ids.add(id);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            LOG.info("asked Debezium to read {} rows of {} again in {} signals: {}", keys.size(), table, ids.size(),
                    ids);
            return ids;
        } catch (SQLException e) {
            throw failed("could not write re-read signals for " + table + " to " + signals.table(), e);
        }
    }

    /**
     * For each key the source table does NOT hold (checked again now), publishes a delete change event for it on
     * the table's CDC topic, shaped exactly like Debezium's (same key JSON bytes as Debezium's record key for that
     * row, so it lands on the same partition; op "d", "before" holding the key columns, source.lsn and
     * source.sequence = the server's current WAL LSN read BEFORE the existence check, ts_ms = now, plus a header
     * "vectorsync.origin"="redrive"). Returns the keys it published deletes for (present keys are skipped).
     *
     * <p>Keys are compared in the columns' own types ({@code "01"} finds integer 1), and the event carries the
     * values as Debezium would ({@code 1}, not {@code "01"}). A row inserted by a transaction still open during the
     * check is not seen by it; its insert, with an LSN below the delete's, would then be dropped by the sinks as
     * older: re-drive keys nobody is writing. Returns once Kafka acknowledged every delete.
     *
     * @param table     the source table, as captured
     * @param idColumns the columns the keys name; they must be the table's primary key columns, in any order
     * @param keys      each key's values as text, in {@code idColumns} order
     * @return the keys deletes were published for, as given, in order
     * @throws IllegalArgumentException when a key does not fit {@code idColumns}, the id columns are not the table's
     *                                  primary key, a key column's type cannot be re-driven (integer, boolean,
     *                                  text, uuid and numeric can) or a value is not valid for its column
     * @throws RedriveException         when the source or Kafka cannot be reached or refuses
     */
    public synchronized List<List<String>> deleteAbsent(TableId table, List<String> idColumns,
                                                        List<List<String>> keys) {
        KeyFilter.requireKeys(idColumns, keys);
        if (keys.isEmpty()) {
            return List.of();
        }
        List<KeyColumn> primaryKey;
        long lsn;
        List<List<String>> absent = new ArrayList<>();
        List<List<String>> printed = new ArrayList<>();
        try {
            Connection c = connection();
            primaryKey = SourceKeys.primaryKey(c, table);
            List<Integer> order = pkOrder(table, idColumns, primaryKey);
            List<List<String>> inPkOrder = new ArrayList<>(keys.size());
            for (List<String> key : keys) {
                List<String> values = new ArrayList<>(order.size());
                for (int i = 0; i < order.size(); i++) {
                    String value = key.get(order.get(i));
                    primaryKey.get(i).requireValid(value, key);
                    values.add(value);
                }
                inPkOrder.add(values);
            }
            // Before the check: every change the check saw is below this position, so the deletes are newer.
            lsn = SourceKeys.currentLsn(c);
            for (int from = 0; from < keys.size(); from += LOOKUP_BATCH) {
                int to = Math.min(keys.size(), from + LOOKUP_BATCH);
                List<SourceKeys.Lookup> found = lookUp(c, table, primaryKey, inPkOrder.subList(from, to));
                for (int i = 0; i < found.size(); i++) {
                    if (!found.get(i).present()) {
                        absent.add(keys.get(from + i));
                        printed.add(found.get(i).printed());
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("could not look up " + keys.size() + " keys in " + table, e);
        }
        publishDeletes(table, primaryKey, printed, lsn);
        LOG.info("{} of {} keys are gone from {}: published their deletes at LSN {}", absent.size(), keys.size(),
                table, lsn);
        return absent;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
        discardConnection();
    }

    private void publishDeletes(TableId table, List<KeyColumn> primaryKey, List<List<String>> printed, long lsn) {
        if (printed.isEmpty()) {
            return;
        }
        String topic = Topics.cdc(table);
        long now = clock.millis();
        List<Future<RecordMetadata>> sends = new ArrayList<>(printed.size());
        KafkaProducer<String, String> p = producer();
        for (List<String> values : printed) {
            Map<String, Object> key = KeyColumn.recordKey(primaryKey, values);
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, DeleteEvent.keyJson(key),
                    DeleteEvent.value(table, source.database(), key, lsn, now, DEBEZIUM_VERSION));
            record.headers().add(DeleteEvent.ORIGIN_HEADER, DeleteEvent.ORIGIN.getBytes(StandardCharsets.UTF_8));
            sends.add(p.send(record));
        }
        p.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (ExecutionException e) {
            throw new RedriveException("Kafka did not acknowledge the delete events for " + table + " on topic '"
                    + topic + "': " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedriveException("interrupted while publishing delete events for " + table, e);
        }
    }

    /** For each primary-key column, the index of its value in a key given in {@code idColumns} order. */
    private static List<Integer> pkOrder(TableId table, List<String> idColumns, List<KeyColumn> primaryKey) {
        List<String> pkNames = primaryKey.stream().map(KeyColumn::name).toList();
        if (idColumns.size() != pkNames.size() || !new HashSet<>(idColumns).equals(new HashSet<>(pkNames))) {
            throw new IllegalArgumentException("id columns " + idColumns + " are not the primary key of " + table
                    + ", which is " + pkNames + "; Debezium keys its events by the primary key");
        }
        return pkNames.stream().map(idColumns::indexOf).toList();
    }

    private static List<SourceKeys.Lookup> lookUp(Connection c, TableId table, List<KeyColumn> primaryKey,
                                                  List<List<String>> keys) throws SQLException {
        try {
            return SourceKeys.lookUp(c, table, primaryKey, keys);
        } catch (SQLException e) {
            throw refused(table, e);
        }
    }

    private static void checkFilter(Connection c, TableId table, String filter) throws SQLException {
        try {
            SourceKeys.checkFilter(c, table, filter);
        } catch (SQLException e) {
            throw refused(table, e);
        }
    }

    /**
     * SQLSTATE class 22 (data exception: a value not valid for its column) and 42 (no such table or column) are the
     * caller's input, not the source's state: an {@link IllegalArgumentException} with PostgreSQL's reason, which
     * names the value or name. Anything else is rethrown.
     */
    private static SQLException refused(TableId table, SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("42"))) {
            throw new IllegalArgumentException("PostgreSQL refuses these keys of " + table + ": " + e.getMessage(), e);
        }
        return e;
    }

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        connection = source.sourceDatabase().connect("vectorsync-redrive", Duration.ofSeconds(5),
                Duration.ofSeconds(60));
        return connection;
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(CdcPublisher.producerProperties(kafka, source.connectorName() + "-redrive"));
        }
        return producer;
    }

    private RedriveException failed(String what, SQLException e) {
        // A broken connection is opened afresh next time.
        discardConnection();
        return new RedriveException(what + " at " + source.address() + ": " + e.getMessage(), e);
    }

    private void discardConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the re-drive connection to {} failed: {}", source.address(), e.getMessage());
            }
            connection = null;
        }
    }
}
