package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.Relation;
import io.vectorsync.core.model.EnrichedChange;
import io.vectorsync.sink.api.BatchPlan.Write;
import io.vectorsync.sink.api.BatchPlan;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Neo4jStatementsTest {
    private static final Relation AUTHOR = Relation.parse("author_id->AUTHORED_BY:Author");
    private static final Relation TOPIC = Relation.parse("topic->ABOUT:Topic");

    @Test
    void labelsAreBackquotedIdentifiersAndTheTombstoneLabelDerivesFromTheCollection() {
        assertThat(Neo4jStatements.label("articles")).isEqualTo("`articles`");
        assertThat(Neo4jStatements.tombstoneLabel("articles")).isEqualTo("`articles__Tombstone`");
        assertThat(Neo4jStatements.indexName("articles")).isEqualTo("articles__embedding");
    }

    @Test
    void collectionNameThatIsNotAnIdentifierIsRejected() {
        assertThatThrownBy(() -> Neo4jStatements.upsert("a`) DETACH DELETE (n", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid identifier");
        assertThatThrownBy(() -> Neo4jStatements.label("1abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void collectionNameMustLeaveRoomForTheTombstoneLabel() {
        String longest = "c".repeat(Neo4jStatements.MAX_COLLECTION_LENGTH);
        assertThat(Neo4jStatements.tombstoneLabel(longest)).hasSize(63 + 2);

        assertThatThrownBy(() -> Neo4jStatements.label(longest + "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("collection '" + longest + "x' is 53 characters long but the neo4j sink allows at most 52,"
                        + " so that its tombstone label '" + longest + "x__Tombstone' is still an identifier");
    }

    @Test
    void createMakesIdsUniqueOnDocumentsTombstonesAndTargetsIndexesTombstoneAgesAndAddsVectorAndFullTextIndexes() {
        assertThat(Neo4jStatements.create("articles", List.of(AUTHOR), 384)).containsExactly(
                "CREATE CONSTRAINT `articles__id` IF NOT EXISTS FOR (n:`articles`) REQUIRE n.id IS UNIQUE",
                "CREATE CONSTRAINT `articles__Tombstone__id` IF NOT EXISTS FOR (n:`articles__Tombstone`)"
                        + " REQUIRE n.id IS UNIQUE",
                "CREATE CONSTRAINT `Author__id` IF NOT EXISTS FOR (n:`Author`) REQUIRE n.id IS UNIQUE",
                "CREATE INDEX `articles__Tombstone__source_ts` IF NOT EXISTS FOR (t:`articles__Tombstone`)"
                        + " ON (t.source_ts)",
                "CREATE VECTOR INDEX `articles__embedding` IF NOT EXISTS FOR (n:`articles`) ON (n.embedding)"
                        + " OPTIONS {indexConfig: {`vector.dimensions`: 384,"
                        + " `vector.similarity_function`: 'cosine'}}",
                "CREATE FULLTEXT INDEX `articles__content` IF NOT EXISTS FOR (n:`articles`) ON EACH [n.content]");
    }

    @Test
    void aRelationToTheCollectionItselfAddsNoSecondConstraint() {
        assertThat(Neo4jStatements.create("Person", List.of(Relation.parse("boss_id->REPORTS_TO:Person")), 3))
                .hasSize(5);
    }

    @Test
    void dimensionOutsideWhatAVectorIndexTakesIsRejected() {
        assertThatThrownBy(() -> Neo4jStatements.create("articles", List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dimension must be between 1 and 4096, was 0");
        assertThatThrownBy(() -> Neo4jStatements.create("articles", List.of(), 4097))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoRelationsOfTheSameTypeAndLabelAreRejected() {
        Relation editor = Relation.parse("editor_id->AUTHORED_BY:Author");

        assertThat(Neo4jStatements.requireRelations("articles", List.of(AUTHOR, TOPIC))).containsExactly(AUTHOR, TOPIC);
        assertThatThrownBy(() -> Neo4jStatements.requireRelations("articles", List.of(AUTHOR, editor)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("collection 'articles' has relations author_id->AUTHORED_BY:Author and"
                        + " editor_id->AUTHORED_BY:Author of the same type and label; the neo4j sink needs each"
                        + " type:label pair once");
    }

    @Test
    void upsertGuardsOnTruncateTombstoneAndStoredLsnAndWritesEveryValueAsAParameter() {
        String cypher = Neo4jStatements.upsert("articles", List.of());

        assertThat(cypher).isEqualTo("""
                OPTIONAL MATCH (w:`articles__Tombstone` {id: '%s'})
                WITH coalesce(w.source_lsn, -1) AS truncated
                UNWIND $rows AS row
                OPTIONAL MATCH (t:`articles__Tombstone` {id: row.id})
                OPTIONAL MATCH (n:`articles` {id: row.id})
                WITH row, t, n, truncated
                WHERE truncated <= row.props.source_lsn
                  AND (t IS NULL OR t.source_lsn <= row.props.source_lsn)
                  AND (n IS NULL OR n.source_lsn IS NULL OR n.source_lsn < row.props.source_lsn
                       OR (n.source_lsn = row.props.source_lsn AND properties(n) <> row.props))
                MERGE (m:`articles` {id: row.id})
                SET m = row.props
                DELETE t
                WITH row, m
                RETURN count(*) AS applied""".formatted(BatchPlan.TRUNCATE_WATERMARK_ID));
    }

    @Test
    void upsertReplacesTheRelationshipOfEachRelation() {
        String cypher = Neo4jStatements.upsert("articles", List.of(AUTHOR, TOPIC));

        assertThat(cypher)
                .contains("FOREACH (old IN [(m)-[r:`AUTHORED_BY`]->(:`Author`) | r] | DELETE old)\n"
                        + "FOREACH (target IN CASE WHEN row.targets[0] IS NULL THEN [] ELSE [row.targets[0]] END |\n"
                        + "  MERGE (x:`Author` {id: target}) MERGE (m)-[:`AUTHORED_BY`]->(x))\n")
                .contains("FOREACH (old IN [(m)-[r:`ABOUT`]->(:`Topic`) | r] | DELETE old)\n"
                        + "FOREACH (target IN CASE WHEN row.targets[1] IS NULL THEN [] ELSE [row.targets[1]] END |\n"
                        + "  MERGE (x:`Topic` {id: target}) MERGE (m)-[:`ABOUT`]->(x))\n")
                .endsWith("RETURN count(*) AS applied");
    }

    @Test
    void deleteRemovesOnlyAnOlderDocumentAndKeepsTheGreatestTombstone() {
        assertThat(Neo4jStatements.delete("articles")).isEqualTo("""
                UNWIND $rows AS row
                OPTIONAL MATCH (n:`articles` {id: row.id}) WHERE n.source_lsn IS NOT NULL
                OPTIONAL MATCH (t:`articles__Tombstone` {id: row.id})
                WITH row, n, t,
                     n IS NOT NULL AND n.source_lsn <= row.source_lsn AS removes,
                     (n IS NULL OR n.source_lsn <= row.source_lsn) AND (t IS NULL OR t.source_lsn < row.source_lsn) AS marks
                WHERE removes OR marks
                FOREACH (doc IN CASE WHEN removes THEN [n] ELSE [] END | DETACH DELETE doc)
                FOREACH (_ IN CASE WHEN marks THEN [1] ELSE [] END |
                  MERGE (d:`articles__Tombstone` {id: row.id}) SET d.source_lsn = row.source_lsn, d.source_ts = row.source_ts)
                RETURN count(*) AS applied""");
    }

    @Test
    void upsertRowCarriesEveryPropertyWithoutNullsAndTheTargetOfEachRelation() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("author_id", 7L);
        metadata.put("topic", null);
        EnrichedChange change = new EnrichedChange("articles", "42", EnrichedChange.Kind.UPSERT, "text", metadata,
                new float[] {0.5f, -0.25f}, null, "hash", 100, 1_735_787_045_678L);

        Map<String, Object> row = Neo4jStatements.upsertRow(new Write(change, "{\"author_id\":7,\"topic\":null}"),
                List.of(AUTHOR, TOPIC));

        assertThat(row).containsOnlyKeys("id", "props", "targets").containsEntry("id", "42");
        assertThat(row.get("targets")).isEqualTo(java.util.Arrays.asList("7", null));
        assertThat(row.get("props")).isEqualTo(Map.of(
                "id", "42",
                "content", "text",
                "metadata", "{\"author_id\":7,\"topic\":null}",
                "content_hash", "hash",
                "source_lsn", 100L,
                "source_ts", OffsetDateTime.parse("2025-01-02T03:04:05.678Z"),
                "embedding", List.of(0.5, -0.25)));
    }

    @Test
    void upsertRowOfBlankTextHasNoEmbeddingProperty() {
        EnrichedChange blank = new EnrichedChange("articles", "1", EnrichedChange.Kind.UPSERT, "", Map.of(), null,
                "model", "hash", 1, 0);

        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) Neo4jStatements.upsertRow(new Write(blank, "{}"), List.of())
                .get("props");

        assertThat(props).doesNotContainKey("embedding").containsEntry("content", "").containsEntry("model", "model");
    }

    @Test
    void deleteRowCarriesIdLsnAndCommitTime() {
        assertThat(Neo4jStatements.deleteRow(EnrichedChange.delete("articles", "9", 77, 0)))
                .isEqualTo(Map.of("id", "9", "source_lsn", 77L, "source_ts",
                        OffsetDateTime.parse("1970-01-01T00:00:00Z")));
    }

    @Test
    void purgeRemovesAtMostALimitOfTombstonesOlderThanTheCutoffButNeverTheTruncateWatermark() {
        assertThat(Neo4jStatements.purgeTombstones("articles")).isEqualTo("MATCH (t:`articles__Tombstone`)"
                + " WHERE t.source_ts < $cutoff AND t.id <> '" + BatchPlan.TRUNCATE_WATERMARK_ID + "'\n"
                + "WITH t LIMIT $limit DELETE t RETURN count(*) AS purged");
    }

    @Test
    void targetIdsAreTextWithIntegralNumbersWithoutAFraction() {
        assertThat(Neo4jStatements.targetId(null)).isNull();
        assertThat(Neo4jStatements.targetId("a-1")).isEqualTo("a-1");
        assertThat(Neo4jStatements.targetId(7)).isEqualTo("7");
        assertThat(Neo4jStatements.targetId(9_007_199_254_740_993L)).isEqualTo("9007199254740993");
        assertThat(Neo4jStatements.targetId(7.0)).isEqualTo("7");
        assertThat(Neo4jStatements.targetId(-3.0f)).isEqualTo("-3");
        assertThat(Neo4jStatements.targetId(7.5)).isEqualTo("7.5");
        assertThat(Neo4jStatements.targetId(new BigDecimal("7.00"))).isEqualTo("7");
        assertThat(Neo4jStatements.targetId(new BigDecimal("7.50"))).isEqualTo("7.5");
        assertThat(Neo4jStatements.targetId(new BigInteger("123456789012345678901234"))).isEqualTo(
                "123456789012345678901234");
        assertThat(Neo4jStatements.targetId(true)).isEqualTo("true");
        assertThat(Neo4jStatements.targetId(List.of(1, 2))).isEqualTo("[1,2]");
    }

}
