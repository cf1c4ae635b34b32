package io.vectorsync.store.pgvector;

import io.vectorsync.core.model.Identifiers;
import io.vectorsync.sink.api.BatchPlan;

import java.util.List;

/**
 * The SQL text of the pgvector sink: one table per collection, its HNSW index, and a tombstone table remembering the
 * LSN of deletes. Indexes are built concurrently ({@link #indexes}), so a build on a table with rows never blocks
 * its writers. Pure text, no JDBC; every name goes through {@link Identifiers#quote}.
 *
 * <p>A TRUNCATE of the source leaves a tombstone for the whole collection: the row of the tombstone table whose id is
 * {@link BatchPlan#TRUNCATE_WATERMARK_ID} (no document has an id that long) holds the truncate's LSN, and an upsert is
 * refused when that watermark, like its own tombstone, is newer than it.
 *
 * <p>Keyword search reads a generated {@code tsvector} column ({@value #TSV_COLUMN}) over the document text, in the
 * configured text search configuration, with a GIN index built concurrently (one of {@link #indexes}) so that adding
 * it to a large existing table does not block its writers while the index builds.
 *
 * <p>The LSN guard lives in the statements themselves, so replays and out-of-order deliveries are harmless whatever
 * the caller does.
 */
public final class PgvectorSchema {
    static final String TOMBSTONE_SUFFIX = "__tombstones";
    static final String INDEX_SUFFIX = "__hnsw";
    static final String ID_ORDER_INDEX_SUFFIX = "__id_c";
    static final String TOMBSTONE_AGE_INDEX_SUFFIX = "__tomb_ts";
    static final String KEYWORD_INDEX_SUFFIX = "__tsv";
    /** The generated column keyword search reads. */
    public static final String TSV_COLUMN = "content_tsv";
    /** The tombstone table's name must still fit PostgreSQL's 63-character limit. */
    public static final int MAX_COLLECTION_LENGTH = 63 - TOMBSTONE_SUFFIX.length();

    private static final String COLUMNS =
            "id, content, metadata, embedding, model, content_hash, source_lsn, source_ts";
    private static final String PREPARE_LOCK_KEY = "vectorsync.pgvector.prepare";
    private static final String INDEX_LOCK_KEY = "vectorsync.pgvector.indexes";

    private final String schema;
    private final int hnswM;
    private final int hnswEfConstruction;
    private final String textSearchConfig;

    public PgvectorSchema(String schema, int hnswM, int hnswEfConstruction) {
        this(schema, hnswM, hnswEfConstruction, PgvectorSinkConfig.DEFAULT_TEXT_SEARCH_CONFIG);
    }

    public PgvectorSchema(String schema, int hnswM, int hnswEfConstruction, String textSearchConfig) {
        this.schema = Identifiers.requireValid(schema, "schema");
        this.hnswM = hnswM;
        this.hnswEfConstruction = hnswEfConstruction;
        // Inlined as a literal in the generated column's DDL, where no parameter can go.
        this.textSearchConfig = Identifiers.requireValid(textSearchConfig, "text search configuration");
    }

    public static PgvectorSchema of(PgvectorSinkConfig config) {
        return new PgvectorSchema(config.schema(), config.hnswM(), config.hnswEfConstruction(),
                config.textSearchConfig());
    }

    public String textSearchConfig() {
        return textSearchConfig;
    }

    /** The generated column's type and expression, as in CREATE TABLE and ADD COLUMN. */
    private String tsvColumn() {
        return TSV_COLUMN + " tsvector GENERATED ALWAYS AS (to_tsvector('" + textSearchConfig
                + "'::regconfig, coalesce(content, ''))) STORED";
    }

    /** @throws IllegalArgumentException when the name is not an identifier or leaves no room for the suffixes */
    public static String requireCollection(String collection) {
        Identifiers.requireValid(collection, "collection");
        if (collection.length() > MAX_COLLECTION_LENGTH) {
            throw new IllegalArgumentException("collection '" + collection + "' is " + collection.length()
                    + " characters long but the pgvector sink allows at most " + MAX_COLLECTION_LENGTH
                    + ", so that its tombstone table '" + collection + TOMBSTONE_SUFFIX
                    + "' fits PostgreSQL's 63-character limit");
        }
        return collection;
    }

    public String schema() {
        return schema;
    }

    /** Schema-qualified, quoted table of a collection. */
    public String table(String collection) {
        return Identifiers.quote(schema) + "." + Identifiers.quote(requireCollection(collection));
    }

    public String tombstoneTable(String collection) {
        return Identifiers.quote(schema) + "." + Identifiers.quote(requireCollection(collection) + TOMBSTONE_SUFFIX);
    }

    /**
     * Serialises concurrent prepares (two workers starting together) for the rest of the transaction, so the
     * {@code IF NOT EXISTS} statements never race on the catalog.
     */
    public String prepareLock() {
        return "SELECT pg_advisory_xact_lock(hashtext('" + PREPARE_LOCK_KEY + "'))";
    }

    /**
     * The tables a collection needs, in order, each statement idempotent, run in one transaction under
     * {@link #prepareLock}. Their indexes (but the primary keys) come from {@link #indexes}, built concurrently.
     */
    public List<String> create(String collection, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        requireCollection(collection);
        return List.of(
                "CREATE EXTENSION IF NOT EXISTS vector",
                "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema),
                "CREATE TABLE IF NOT EXISTS " + table(collection) + " ("
                        + "id text PRIMARY KEY, "
                        + "content text, "
                        + "metadata jsonb NOT NULL DEFAULT '{}', "
                        // Nullable: blank text has no vector.
                        + "embedding vector(" + dimension + "), "
                        + "model text, "
                        + "content_hash text, "
                        + "source_lsn bigint NOT NULL, "
                        + "source_ts timestamptz, "
                        + "updated_at timestamptz NOT NULL DEFAULT now(), "
                        + tsvColumn() + ")",
                // Tables made before keyword search: PostgreSQL fills the column by rewriting the table once.
                addColumnIfMissing(table(collection), TSV_COLUMN, tsvColumn()),
                "CREATE TABLE IF NOT EXISTS " + tombstoneTable(collection) + " ("
                        + "id text PRIMARY KEY, "
                        + "source_lsn bigint NOT NULL, "
                        + "source_ts timestamptz NOT NULL DEFAULT now())",
                // Tables made before tombstones were purged: their tombstones count their age from this upgrade.
                addColumnIfMissing(tombstoneTable(collection), "source_ts",
                        "source_ts timestamptz NOT NULL DEFAULT now()"));
    }

    /**
     * Adds a column to an existing table only when it is missing: ALTER TABLE takes an ACCESS EXCLUSIVE lock even
     * when the column is there already ({@code ADD COLUMN IF NOT EXISTS}), which would queue every writer behind an
     * open transaction on each prepare, and deadlock with another sink's concurrent index build.
     */
    private static String addColumnIfMissing(String table, String column, String definition) {
        return "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = '" + table
                + "'::regclass AND attname = '" + column + "' AND NOT attisdropped) THEN ALTER TABLE " + table
                + " ADD COLUMN " + definition + "; END IF; END $$";
    }

    /** One index of a collection: its bare name and the statement building it without blocking writes. */
    public record IndexBuild(String name, String sql) {
    }

    /**
     * The indexes of a collection's tables (but the primary keys), each built with {@code CREATE INDEX CONCURRENTLY
     * IF NOT EXISTS}: outside a transaction block, one at a time, never blocking the tables' writers.
     */
    public List<IndexBuild> indexes(String collection) {
        requireCollection(collection);
        return List.of(
                concurrently(collection + TOMBSTONE_AGE_INDEX_SUFFIX, tombstoneTable(collection), "(source_ts)"),
                concurrently(collection + INDEX_SUFFIX, table(collection),
                        "USING hnsw (embedding vector_cosine_ops)"
                                + " WITH (m = " + hnswM + ", ef_construction = " + hnswEfConstruction + ")"),
                // The primary key's index sorts by the database's collation; keyset scans by id in binary order
                // (the order every store shares) need their own, or each page would sort the whole table.
                concurrently(collection + ID_ORDER_INDEX_SUFFIX, table(collection), "(id COLLATE \"C\")"),
                // Keyword search over the generated tsvector column.
                concurrently(collection + KEYWORD_INDEX_SUFFIX, table(collection), "USING gin (" + TSV_COLUMN + ")"));
    }

    private static IndexBuild concurrently(String name, String table, String definition) {
        return new IndexBuild(name, "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + Identifiers.quote(name) + " ON "
                + table + " " + definition);
    }

    /**
     * Whether an index of this schema is valid; no row when it does not exist. Parameter: the index's bare name.
     * Column: indisvalid (false after a failed concurrent build).
     */
    public String indexValidity() {
        return "SELECT i.indisvalid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = '" + schema + "' AND c.relname = ?";
    }

    /** Drops an index of this schema without blocking writes, e.g. one a failed concurrent build left INVALID. */
    public String dropIndex(String name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /**
     * Takes the session lock of index builds without waiting; column: whether it was taken. A session, not a
     * transaction, lock: concurrent builds run outside transactions, and waiting for it in one would deadlock with
     * the build under way, which waits for every older transaction.
     */
    public String indexBuildTryLock() {
        return "SELECT pg_try_advisory_lock(hashtext('" + INDEX_LOCK_KEY + "'))";
    }

    public String indexBuildUnlock() {
        return "SELECT pg_advisory_unlock(hashtext('" + INDEX_LOCK_KEY + "'))";
    }

    /**
     * The text search configuration the existing table's {@value #TSV_COLUMN} was generated with, from its
     * expression ({@code to_tsvector('english'::regconfig, …)}); no row when the table or column does not exist.
     * No parameters.
     */
    public String keywordConfigInUse(String collection) {
        return "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
                + " ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
                + " WHERE d.adrelid = to_regclass('" + table(collection) + "') AND a.attname = '" + TSV_COLUMN + "'";
    }

    /** Whether the text search configuration exists in the database. Parameter: its name. */
    public static String textSearchConfigExists() {
        return "SELECT 1 FROM pg_catalog.pg_ts_config WHERE cfgname = ?";
    }

    /**
     * Keyword search: documents whose text matches the query ({@code websearch_to_tsquery}: words, "quoted
     * phrases", {@code or}, {@code -excluded}), best first by {@code ts_rank_cd} (normalisation 32: rank / (rank +
     * 1), so scores fall in [0, 1)), ties by id. Parameters: query text, limit. Columns: id, content, metadata (text),
     * rank.
     */
    public String keywordSearch(String collection) {
        return "SELECT id, content, metadata::text, ts_rank_cd(" + TSV_COLUMN + ", q, 32) AS rank FROM "
                + table(collection) + ", websearch_to_tsquery('" + textSearchConfig + "'::regconfig, ?) AS q"
                + " WHERE " + TSV_COLUMN + " @@ q ORDER BY rank DESC, id COLLATE \"C\" LIMIT ?";
    }

    /**
     * The declared dimension of an existing collection's {@code embedding} column (pgvector keeps it in
     * {@code atttypmod}); no row when the table does not exist. No parameters.
     */
    public String embeddingDimension(String collection) {
        return "SELECT a.atttypmod FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass('" + table(collection) + "')"
                + " AND a.attname = 'embedding' AND NOT a.attisdropped";
    }

    /**
     * Inserts or updates a document unless the stored row has a newer LSN or a tombstone has a newer LSN. A change
     * with the stored LSN only writes when it differs (a re-embedding, say), so replaying a batch touches nothing
     * and the update count tells the caller what was skipped.
     *
     * <p>Parameters: id, content, metadata (JSON text), embedding, model, content_hash, source_lsn, source_ts.
     */
    public String upsert(String collection) {
        String row = "(t.content, t.metadata, t.embedding, t.model, t.content_hash, t.source_ts)";
        String incoming = "(EXCLUDED.content, EXCLUDED.metadata, EXCLUDED.embedding, EXCLUDED.model,"
                + " EXCLUDED.content_hash, EXCLUDED.source_ts)";
        return "INSERT INTO " + table(collection) + " AS t (" + COLUMNS + ", updated_at)"
                + " SELECT " + COLUMNS + ", now() FROM (VALUES (?::text, ?::text, ?::jsonb, ?::vector, ?::text,"
                + " ?::text, ?::bigint, ?::timestamptz)) AS v (" + COLUMNS + ")"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + tombstoneTable(collection) + " d"
                + " WHERE d.id IN (v.id, '" + BatchPlan.TRUNCATE_WATERMARK_ID + "') AND d.source_lsn > v.source_lsn)"
                + " ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, metadata = EXCLUDED.metadata,"
                + " embedding = EXCLUDED.embedding, model = EXCLUDED.model, content_hash = EXCLUDED.content_hash,"
                + " source_lsn = EXCLUDED.source_lsn, source_ts = EXCLUDED.source_ts, updated_at = now()"
                + " WHERE t.source_lsn < EXCLUDED.source_lsn"
                + " OR (t.source_lsn = EXCLUDED.source_lsn AND " + row + " IS DISTINCT FROM " + incoming + ")";
    }

    /** Deletes a document unless the stored row is newer than the delete. Parameters: id, source_lsn. */
    public String deleteRow(String collection) {
        return "DELETE FROM " + table(collection) + " WHERE id = ? AND source_lsn <= ?";
    }

    /**
     * Records a delete's LSN and source commit time, keeping the greatest LSN, so a replayed older insert cannot
     * resurrect the row. Run after {@link #deleteRow}: no tombstone is needed while a newer row exists (the row's own
     * LSN guards it), which makes the update count 1 exactly when the delete took effect. Parameters: id, source_lsn,
     * source_ts.
     */
    public String recordTombstone(String collection) {
        return "INSERT INTO " + tombstoneTable(collection) + " AS d (id, source_lsn, source_ts)"
                + " SELECT id, source_lsn, source_ts FROM (VALUES (?::text, ?::bigint, ?::timestamptz))"
                + " AS v (id, source_lsn, source_ts)"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table(collection) + " t"
                + " WHERE t.id = v.id AND t.source_lsn > v.source_lsn)"
                + " ON CONFLICT (id) DO UPDATE SET source_lsn = EXCLUDED.source_lsn, source_ts = EXCLUDED.source_ts"
                + " WHERE d.source_lsn < EXCLUDED.source_lsn";
    }

    /**
     * Removes at most a limit of tombstones whose delete was committed before a time, never the truncate watermark.
     * The age is checked again on the rows deleted, so a tombstone a concurrent delete renewed meanwhile stays.
     * Parameters: source_ts (cutoff), limit, source_ts (cutoff).
     */
    public String purgeTombstones(String collection) {
        return "DELETE FROM " + tombstoneTable(collection) + " WHERE id IN (SELECT id FROM "
                + tombstoneTable(collection) + " WHERE source_ts < ? AND id <> '" + BatchPlan.TRUNCATE_WATERMARK_ID
                + "' LIMIT ?) AND source_ts < ? AND id <> '" + BatchPlan.TRUNCATE_WATERMARK_ID + "'";
    }

    /**
     * Raises the collection's truncate watermark to a truncate's LSN; the update count is 1 exactly when it rose.
     * Run first in a truncate's transaction: its row lock orders concurrent truncates. Parameters: source_lsn,
     * source_ts.
     */
    public String recordTruncate(String collection) {
        return "INSERT INTO " + tombstoneTable(collection) + " AS d (id, source_lsn, source_ts) VALUES ('"
                + BatchPlan.TRUNCATE_WATERMARK_ID + "', ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET source_lsn = EXCLUDED.source_lsn, source_ts = EXCLUDED.source_ts"
                + " WHERE d.source_lsn < EXCLUDED.source_lsn";
    }

    /** Removes every document older than a truncate. Parameter: source_lsn. */
    public String truncateRows(String collection) {
        return "DELETE FROM " + table(collection) + " WHERE source_lsn < ?";
    }

    /** Removes the tombstones a truncate's watermark makes needless. Parameter: source_lsn. */
    public String truncateTombstones(String collection) {
        return "DELETE FROM " + tombstoneTable(collection) + " WHERE source_lsn < ? AND id <> '"
                + BatchPlan.TRUNCATE_WATERMARK_ID + "'";
    }

    /** Parameter: id. Columns: id, content, metadata (as text), embedding, model, content_hash, source_lsn. */
    public String selectDocument(String collection) {
        return "SELECT id, content, metadata::text, embedding, model, content_hash, source_lsn FROM "
                + table(collection) + " WHERE id = ?";
    }

    /**
     * Ids in binary (C collation) order, from the start. Parameter: limit. Column: id. Backed by the {@code __id_c}
     * index of {@link #create}.
     */
    public String firstIds(String collection) {
        return "SELECT id FROM " + table(collection) + " ORDER BY id COLLATE \"C\" LIMIT ?";
    }

    /** Ids after a given one in binary (C collation) order. Parameters: after id, limit. Column: id. */
    public String idsAfter(String collection) {
        return "SELECT id FROM " + table(collection) + " WHERE id COLLATE \"C\" > ? ORDER BY id COLLATE \"C\""
                + " LIMIT ?";
    }

    public String count(String collection) {
        return "SELECT count(*) FROM " + table(collection);
    }
}
