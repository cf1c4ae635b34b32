package io.vectorsync.store.pgvector;

import io.vectorsync.sink.api.BatchPlan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgvectorSchemaTest {
    private final PgvectorSchema schema = new PgvectorSchema("vs", 16, 64);

    @Test
    void everyIdentifierIsQuotedAndSchemaQualified() {
        assertThat(schema.table("articles")).isEqualTo("\"vs\".\"articles\"");
        assertThat(schema.tombstoneTable("articles")).isEqualTo("\"vs\".\"articles__tombstones\"");
        assertThat(schema.deleteRow("articles"))
                .isEqualTo("DELETE FROM \"vs\".\"articles\" WHERE id = ? AND source_lsn <= ?");
    }

    @Test
    void createBuildsExtensionSchemaAndTablesIdempotently() {
        assertThat(schema.create("articles", 384)).containsExactly(
                "CREATE EXTENSION IF NOT EXISTS vector",
                "CREATE SCHEMA IF NOT EXISTS \"vs\"",
                "CREATE TABLE IF NOT EXISTS \"vs\".\"articles\" (id text PRIMARY KEY, content text, "
                        + "metadata jsonb NOT NULL DEFAULT '{}', embedding vector(384), model text, "
                        + "content_hash text, source_lsn bigint NOT NULL, source_ts timestamptz, "
                        + "updated_at timestamptz NOT NULL DEFAULT now(), content_tsv tsvector GENERATED ALWAYS AS"
                        + " (to_tsvector('english'::regconfig, coalesce(content, ''))) STORED)",
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute"
                        + " WHERE attrelid = '\"vs\".\"articles\"'::regclass AND attname = 'content_tsv'"
                        + " AND NOT attisdropped) THEN ALTER TABLE \"vs\".\"articles\" ADD COLUMN content_tsv"
                        + " tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(content, '')))"
                        + " STORED; END IF; END $$",
                "CREATE TABLE IF NOT EXISTS \"vs\".\"articles__tombstones\" (id text PRIMARY KEY, "
                        + "source_lsn bigint NOT NULL, source_ts timestamptz NOT NULL DEFAULT now())",
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute"
                        + " WHERE attrelid = '\"vs\".\"articles__tombstones\"'::regclass AND attname = 'source_ts'"
                        + " AND NOT attisdropped) THEN ALTER TABLE \"vs\".\"articles__tombstones\""
                        + " ADD COLUMN source_ts timestamptz NOT NULL DEFAULT now(); END IF; END $$");
    }

    @Test
    void everyIndexIsBuiltConcurrentlySoWritersAreNeverBlocked() {
        assertThat(schema.indexes("articles")).containsExactly(
                new PgvectorSchema.IndexBuild("articles__tomb_ts", "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                        + " \"articles__tomb_ts\" ON \"vs\".\"articles__tombstones\" (source_ts)"),
                new PgvectorSchema.IndexBuild("articles__hnsw", "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                        + " \"articles__hnsw\" ON \"vs\".\"articles\""
                        + " USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"),
                new PgvectorSchema.IndexBuild("articles__id_c", "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                        + " \"articles__id_c\" ON \"vs\".\"articles\" (id COLLATE \"C\")"),
                new PgvectorSchema.IndexBuild("articles__tsv", "CREATE INDEX CONCURRENTLY IF NOT EXISTS"
                        + " \"articles__tsv\" ON \"vs\".\"articles\" USING gin (content_tsv)"));
        assertThat(schema.dropIndex("articles__id_c"))
                .isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS \"vs\".\"articles__id_c\"");
    }

    @Test
    void keywordSearchUsesTheConfiguredTextSearchConfigurationAndAConcurrentGinIndex() {
        PgvectorSchema simple = new PgvectorSchema("vs", 16, 64, "simple");

        assertThat(simple.keywordSearch("articles")).isEqualTo("SELECT id, content, metadata::text,"
                + " ts_rank_cd(content_tsv, q, 32) AS rank FROM \"vs\".\"articles\","
                + " websearch_to_tsquery('simple'::regconfig, ?) AS q WHERE content_tsv @@ q"
                + " ORDER BY rank DESC, id COLLATE \"C\" LIMIT ?");
        assertThat(simple.create("articles", 3).get(2)).contains("to_tsvector('simple'::regconfig,");
        assertThatThrownBy(() -> new PgvectorSchema("vs", 16, 64, "english'; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idScansCompareAndOrderInBinaryCollation() {
        assertThat(schema.firstIds("articles"))
                .isEqualTo("SELECT id FROM \"vs\".\"articles\" ORDER BY id COLLATE \"C\" LIMIT ?");
        assertThat(schema.idsAfter("articles")).isEqualTo("SELECT id FROM \"vs\".\"articles\""
                + " WHERE id COLLATE \"C\" > ? ORDER BY id COLLATE \"C\" LIMIT ?");
    }

    @Test
    void embeddingColumnIsNullableSoBlankTextNeedsNoVector() {
        assertThat(schema.create("articles", 3).get(2)).contains("embedding vector(3),")
                .doesNotContain("vector(3) NOT NULL");
    }

    @Test
    void upsertOnlyOverwritesAnOlderRowAndNeverPassesANewerTombstoneOrTruncate() {
        String sql = schema.upsert("articles");

        assertThat(sql).startsWith("INSERT INTO \"vs\".\"articles\" AS t (")
                .contains("WHERE NOT EXISTS (SELECT 1 FROM \"vs\".\"articles__tombstones\" d"
                        + " WHERE d.id IN (v.id, '" + BatchPlan.TRUNCATE_WATERMARK_ID + "')"
                        + " AND d.source_lsn > v.source_lsn)")
                .contains("ON CONFLICT (id) DO UPDATE SET")
                .contains(" WHERE t.source_lsn < EXCLUDED.source_lsn OR (t.source_lsn = EXCLUDED.source_lsn AND ")
                .contains("?::jsonb", "?::vector", "?::bigint", "?::timestamptz");
        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(8);
    }

    @Test
    void tombstoneKeepsTheGreatestLsnAndIsSkippedWhileANewerRowExists() {
        String sql = schema.recordTombstone("articles");

        assertThat(sql).startsWith("INSERT INTO \"vs\".\"articles__tombstones\" AS d (id, source_lsn, source_ts)")
                .contains("WHERE NOT EXISTS (SELECT 1 FROM \"vs\".\"articles\" t"
                        + " WHERE t.id = v.id AND t.source_lsn > v.source_lsn)")
                .endsWith("ON CONFLICT (id) DO UPDATE SET source_lsn = EXCLUDED.source_lsn,"
                        + " source_ts = EXCLUDED.source_ts WHERE d.source_lsn < EXCLUDED.source_lsn");
        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(3);
    }

    @Test
    void purgeRemovesOldTombstonesInBoundedBatchesButNeverTheTruncateWatermark() {
        String sql = schema.purgeTombstones("articles");

        assertThat(sql).isEqualTo("DELETE FROM \"vs\".\"articles__tombstones\" WHERE id IN (SELECT id FROM"
                + " \"vs\".\"articles__tombstones\" WHERE source_ts < ? AND id <> '" + BatchPlan.TRUNCATE_WATERMARK_ID
                + "' LIMIT ?) AND source_ts < ? AND id <> '" + BatchPlan.TRUNCATE_WATERMARK_ID + "'");
    }

    @Test
    void collectionNameThatIsNotAnIdentifierIsRejected() {
        assertThatThrownBy(() -> schema.upsert("articles\"; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collection")
                .hasMessageContaining("is not a valid identifier");
        assertThatThrownBy(() -> schema.table("1abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schemaThatIsNotAnIdentifierIsRejected() {
        assertThatThrownBy(() -> new PgvectorSchema("public.x", 16, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema 'public.x'");
    }

    @Test
    void collectionNameLeavingNoRoomForTheTombstoneSuffixIsRejected() {
        String longest = "c".repeat(PgvectorSchema.MAX_COLLECTION_LENGTH);
        String tooLong = longest + "x";

        assertThat(PgvectorSchema.MAX_COLLECTION_LENGTH).isEqualTo(51);
        assertThat(schema.tombstoneTable(longest)).contains(longest + "__tombstones");
        assertThatThrownBy(() -> schema.create(tooLong, 384))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("collection '" + tooLong + "' is 52 characters long but the pgvector sink allows at"
                        + " most 51, so that its tombstone table '" + tooLong + "__tombstones' fits PostgreSQL's"
                        + " 63-character limit");
    }

    @Test
    void embeddingDimensionQueryLooksUpTheQuotedTable() {
        assertThat(schema.embeddingDimension("articles"))
                .contains("to_regclass('\"vs\".\"articles\"')")
                .contains("a.attname = 'embedding'");
    }
}
