package io.vectorsync.app.preflight;

import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigProblem;
import io.vectorsync.core.model.TableId;
import io.vectorsync.sink.preflight.CheckResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the facts read from the source database mean: pure functions from values to rows, so every verdict and every
 * fix is unit-tested without a server. {@link SourceCheck} reads the facts.
 */
final class SourceRules {
    static final String PGOUTPUT = "pgoutput";
    static final List<String> SIGNAL_COLUMNS = List.of("id", "type", "data");
    static final List<String> HEARTBEAT_COLUMNS = List.of("id", "ts");

    /** A replication slot as {@code pg_replication_slots} shows it. */
    record Slot(String plugin, String type, String database, boolean active, Integer activePid) {
    }

    /** A publication as {@code pg_publication} and {@code pg_publication_tables} show it. */
    record Publication(boolean allTables, boolean publishesEveryChange, Set<String> tables) {
    }

    /** The signal table's columns and what the source user may do with it. */
    record SignalTable(List<String> columns, boolean canInsert, boolean canDelete) {
    }

    /**
     * The heartbeat table's columns, what the source user may do with it, and whether {@code id} alone has a unique
     * index, which the heartbeat's upsert ({@code ON CONFLICT (id)}) needs.
     */
    record HeartbeatTable(List<String> columns, boolean canSelect, boolean canInsert, boolean canUpdate,
                          boolean uniqueId) {
    }

    private SourceRules() {
    }

    static CheckResult walLevel(String walLevel) {
        String check = "source.wal_level";
        if ("logical".equals(walLevel)) {
            return CheckResult.ok(check, "wal_level = logical");
        }
        return CheckResult.fail(check, "wal_level = " + walLevel + ", but change capture needs logical decoding",
                "set wal_level=logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart"
                        + " PostgreSQL");
    }

    /** @param slotExists the pipeline's slot exists already, so it needs no free one */
    static CheckResult replicationSlots(int max, int used, boolean slotExists) {
        String check = "source.replication_slots";
        String detail = "max_replication_slots = " + max + ", " + used + " in use";
        if (max < 1) {
            return CheckResult.fail(check, detail + ": logical replication needs at least one",
                    "set max_replication_slots to at least 1 in postgresql.conf and restart PostgreSQL");
        }
        if (slotExists) {
            return CheckResult.ok(check, detail + ", one of them this pipeline's");
        }
        if (used >= max) {
            return CheckResult.fail(check, detail + ": none is free for this pipeline's slot",
                    "drop a slot nobody uses (SELECT pg_drop_replication_slot(name) for an inactive one in"
                            + " pg_replication_slots), or raise max_replication_slots and restart PostgreSQL");
        }
        return CheckResult.ok(check, detail + ", " + (max - used) + " free");
    }

    /** @param slotActive the pipeline's slot is streaming already, so its WAL sender is counted in {@code used} */
    static CheckResult walSenders(int max, int used, boolean slotActive) {
        String check = "source.wal_senders";
        String detail = "max_wal_senders = " + max + ", " + used + " in use";
        if (max < 1) {
            return CheckResult.fail(check, detail + ": logical replication needs at least one",
                    "set max_wal_senders to at least 1 in postgresql.conf and restart PostgreSQL");
        }
        if (!slotActive && used >= max) {
            return CheckResult.fail(check, detail + ": none is free for the connector",
                    "raise max_wal_senders in postgresql.conf and restart PostgreSQL, or stop a replication client"
                            + " (pg_stat_replication lists them)");
        }
        return CheckResult.ok(check, detail);
    }

    static CheckResult replicationRole(String user, boolean superuser, boolean replication) {
        String check = "source.replication_role";
        if (superuser) {
            return CheckResult.ok(check, "user " + user + " is a superuser");
        }
        if (replication) {
            return CheckResult.ok(check, "user " + user + " has the REPLICATION attribute");
        }
        return CheckResult.fail(check, "user " + user + " may not replicate: it has neither REPLICATION nor"
                        + " SUPERUSER",
                "ALTER ROLE " + user + " WITH REPLICATION (as a superuser), or set " + ConnectorConfig.USER.name()
                        + " to a user that has it");
    }

    static CheckResult slot(String name, String database, Optional<Slot> slot) {
        String check = "source.slot";
        String renameOrDrop = "drop it (SELECT pg_drop_replication_slot('" + name + "')) if nothing uses it, or set "
                + ConnectorConfig.SLOT_NAME.name() + " to another name";
        if (slot.isEmpty()) {
            return CheckResult.warn(check, "replication slot " + name + " does not exist yet: created at start",
                    "none on a first start; otherwise check " + ConnectorConfig.SLOT_NAME.name());
        }
        Slot s = slot.get();
        if (!"logical".equals(s.type())) {
            return CheckResult.fail(check, "replication slot " + name + " is a " + s.type()
                    + " slot, but the connector needs a logical one", renameOrDrop);
        }
        if (!PGOUTPUT.equals(s.plugin())) {
            return CheckResult.fail(check, "replication slot " + name + " decodes with " + s.plugin()
                    + ", but the connector uses " + PGOUTPUT, renameOrDrop);
        }
        if (!database.equals(s.database())) {
            return CheckResult.fail(check, "replication slot " + name + " belongs to database " + s.database()
                    + ", not " + database, renameOrDrop);
        }
        if (s.active()) {
            return CheckResult.warn(check, "replication slot " + name + " (" + PGOUTPUT + ") is in use by process "
                            + s.activePid() + ": a second connector cannot start on it",
                    "none if that is this pipeline's running connector; otherwise stop that process"
                            + " (SELECT pg_terminate_backend(" + s.activePid() + ")) or set "
                            + ConnectorConfig.SLOT_NAME.name() + " to another name");
        }
        return CheckResult.ok(check, "replication slot " + name + " exists (" + PGOUTPUT + ", not in use)");
    }

    /**
     * @param wanted    the tables the connector captures, the signal and heartbeat tables among them
     * @param canCreate the source user may create a publication in the database
     */
    static CheckResult publication(String name, Optional<Publication> publication, List<TableId> wanted,
                                   boolean canCreate) {
        String check = "source.publication";
        String tableList = wanted.stream().map(TableId::toString).collect(Collectors.joining(", "));
        if (publication.isEmpty()) {
            if (canCreate) {
                return CheckResult.warn(check, "publication " + name + " does not exist yet: created at start for "
                        + tableList, "none on a first start; otherwise check "
                        + ConnectorConfig.PUBLICATION_NAME.name());
            }
            return CheckResult.fail(check, "publication " + name + " does not exist and the source user may not"
                            + " create it",
                    "CREATE PUBLICATION " + name + " FOR TABLE " + tableList + " (as the tables' owner), or grant"
                            + " the source user CREATE on the database");
        }
        Publication p = publication.get();
        if (!p.publishesEveryChange()) {
            // A truncate not published leaves every store holding rows the source no longer has.
            return CheckResult.fail(check, "publication " + name + " does not publish every insert, update, delete"
                            + " and truncate, so changes would be lost",
                    "ALTER PUBLICATION " + name + " SET (publish = 'insert, update, delete, truncate')");
        }
        if (p.allTables()) {
            return CheckResult.ok(check, "publication " + name + " covers all tables");
        }
        List<String> lacking = wanted.stream().map(TableId::toString).filter(t -> !p.tables().contains(t)).toList();
        if (lacking.isEmpty()) {
            return CheckResult.ok(check, "publication " + name + " covers " + tableList);
        }
        return CheckResult.warn(check, "publication " + name + " lacks " + String.join(", ", lacking)
                        + ": the connector adds them at start",
                "none if the source user owns those tables; otherwise ALTER PUBLICATION " + name + " ADD TABLE "
                        + String.join(", ", lacking) + " as their owner");
    }

    /**
     * @param problems  what {@code SourceSchemaCheck} found wrong with this mapping, empty when it fits
     * @param canSelect whether the source user may read the table; empty when the table does not exist
     */
    static CheckResult table(CollectionMapping m, List<ConfigProblem> problems, Optional<Boolean> canSelect,
                             String user) {
        String check = "source.table:" + m.name();
        if (!problems.isEmpty()) {
            String keys = problems.stream().map(ConfigProblem::key).distinct().collect(Collectors.joining(", "));
            return CheckResult.fail(check, problems.stream().map(ConfigProblem::toString)
                            .collect(Collectors.joining("; ")),
                    "correct " + keys + ", or change table " + m.table() + " to match");
        }
        if (canSelect.isPresent() && !canSelect.get()) {
            return CheckResult.fail(check, "user " + user + " may not read table " + m.table(),
                    "GRANT SELECT ON " + m.table() + " TO " + user);
        }
        return CheckResult.ok(check, "table " + m.table() + " has every column the mapping reads ("
                + String.join(", ", m.columns()) + "), primary key " + String.join(", ", m.idColumns()));
    }

    /**
     * @param table            the signal table's shape, empty when it does not exist
     * @param canCreateInSchema whether the source user may create it; empty when its schema does not exist
     */
    static CheckResult signalTable(TableId name, String user, Optional<SignalTable> table,
                                   Optional<Boolean> canCreateInSchema) {
        String check = "source.signal_table";
        String key = ConnectorConfig.SIGNAL_TABLE.name();
        if (table.isEmpty()) {
            return missing(check, "signal table", name, user, key, canCreateInSchema,
                    "(id varchar PRIMARY KEY, type varchar NOT NULL, data varchar) and GRANT INSERT, DELETE ON it");
        }
        SignalTable t = table.get();
        List<String> missing = SIGNAL_COLUMNS.stream().filter(c -> !t.columns().contains(c)).toList();
        if (!missing.isEmpty()) {
            return CheckResult.fail(check, "table " + name + " is not a signal table: it lacks " + missing
                            + " (its columns are " + t.columns() + ")",
                    "set " + key + " to a table of vectorsync's own, or drop " + name + " so that it is created");
        }
        if (!t.canInsert() || !t.canDelete()) {
            return CheckResult.fail(check, "user " + user + " may not " + (t.canInsert() ? "" : "insert into ")
                            + (!t.canInsert() && !t.canDelete() ? "or " : "") + (t.canDelete() ? "" : "delete from ")
                            + "signal table " + name,
                    "GRANT INSERT, DELETE ON " + name + " TO " + user);
        }
        return CheckResult.ok(check, "signal table " + name + " exists, user " + user + " may insert and delete");
    }

    /**
     * @param table             the heartbeat table's shape, empty when it does not exist
     * @param canCreateInSchema whether the source user may create it; empty when its schema does not exist
     */
    static CheckResult heartbeatTable(TableId name, String user, Optional<HeartbeatTable> table,
                                      Optional<Boolean> canCreateInSchema) {
        String check = "source.heartbeat_table";
        String key = ConnectorConfig.HEARTBEAT_TABLE.name();
        if (table.isEmpty()) {
            return missing(check, "heartbeat table", name, user, key, canCreateInSchema,
                    "(id int PRIMARY KEY, ts timestamptz) and GRANT SELECT, INSERT, UPDATE ON it");
        }
        HeartbeatTable t = table.get();
        List<String> missing = HEARTBEAT_COLUMNS.stream().filter(c -> !t.columns().contains(c)).toList();
        if (!missing.isEmpty()) {
            return CheckResult.fail(check, "table " + name + " is not a heartbeat table: it lacks " + missing
                            + " (its columns are " + t.columns() + ")",
                    "set " + key + " to a table of vectorsync's own, or drop " + name + " so that it is created");
        }
        if (!t.uniqueId()) {
            // Debezium logs the failed heartbeat query and goes on, so without this row nobody would notice.
            return CheckResult.fail(check, "heartbeat table " + name + " has no primary key or unique index on id"
                            + " alone, so the heartbeat's upsert (ON CONFLICT (id)) fails and the slot stops advancing"
                            + " while the captured tables are idle",
                    "ALTER TABLE " + name + " ADD PRIMARY KEY (id)");
        }
        if (!t.canSelect() || !t.canInsert() || !t.canUpdate()) {
            List<String> lacking = new ArrayList<>();
            if (!t.canSelect()) {
                lacking.add("SELECT");
            }
            if (!t.canInsert()) {
                lacking.add("INSERT");
            }
            if (!t.canUpdate()) {
                lacking.add("UPDATE");
            }
            return CheckResult.fail(check, "user " + user + " lacks " + String.join(", ", lacking)
                            + " on heartbeat table " + name + ", which the heartbeat's upsert needs",
                    "GRANT SELECT, INSERT, UPDATE ON " + name + " TO " + user);
        }
        return CheckResult.ok(check, "heartbeat table " + name + " exists, user " + user
                + " may select, insert and update");
    }

    /** A table vectorsync creates at start when missing: whether it can, and what to do when it cannot. */
    private static CheckResult missing(String check, String what, TableId name, String user, String key,
                                       Optional<Boolean> canCreateInSchema, String createAndGrant) {
        if (canCreateInSchema.isEmpty()) {
            return CheckResult.fail(check, what + " " + name + " cannot be created: schema " + name.schema()
                    + " does not exist", "CREATE SCHEMA " + name.schema() + ", or set " + key
                    + " to a table in an existing schema");
        }
        if (!canCreateInSchema.get()) {
            return CheckResult.fail(check, what + " " + name + " does not exist and user " + user
                            + " may not create it in schema " + name.schema(),
                    "GRANT CREATE ON SCHEMA " + name.schema() + " TO " + user + ", or create the table "
                            + createAndGrant);
        }
        return CheckResult.warn(check, what + " " + name + " does not exist yet: created at start",
                "none on a first start; otherwise check " + key);
    }
}
