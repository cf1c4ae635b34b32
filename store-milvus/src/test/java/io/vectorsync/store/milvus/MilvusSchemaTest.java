package io.vectorsync.store.milvus;

import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.CreateCollectionReq.CollectionSchema;
import io.milvus.v2.service.collection.request.CreateCollectionReq.FieldSchema;
import io.vectorsync.sink.api.BatchPlan;
import io.vectorsync.store.milvus.MilvusSinkConfig.IndexType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MilvusSchemaTest {

    @Test
    void aTruncateRemovesOlderDocumentsAndEveryOlderTombstoneButTheWatermark() {
        assertThat(MilvusSchema.olderThan(42)).isEqualTo("source_lsn < 42");
        assertThat(MilvusSchema.tombstonesOlderThan(42))
                .isEqualTo("source_lsn < 42 and id != \"" + io.vectorsync.sink.api.BatchPlan.TRUNCATE_WATERMARK_ID + "\"");
    }

    @Test
    void documentCollectionHasEveryFieldWithItsType() {
        CollectionSchema schema = MilvusSchema.documents(384);

        assertThat(schema.getFieldSchemaList()).extracting(FieldSchema::getName).containsExactly("id", "embedding",
                "content", "metadata", "model", "content_hash", "source_lsn", "source_ts", "has_embedding");
        assertThat(schema.getFieldSchemaList()).extracting(FieldSchema::getDataType).containsExactly(DataType.VarChar,
                DataType.FloatVector, DataType.VarChar, DataType.JSON, DataType.VarChar, DataType.VarChar,
                DataType.Int64, DataType.Int64, DataType.Bool);
        FieldSchema id = schema.getField("id");
        assertThat(id.getIsPrimaryKey()).isTrue();
        assertThat(id.getAutoID()).isFalse();
        assertThat(id.getMaxLength()).isEqualTo(1536);
        assertThat(schema.getField("content").getMaxLength()).isEqualTo(65_535);
        assertThat(MilvusSchema.dimension(schema, "embedding")).isEqualTo(384);
        assertThat(MilvusSchema.dimension(schema, "content")).isNull();
        assertThat(schema.isEnableDynamicField()).isFalse();
        assertThat(MilvusSchema.missingFields(schema, MilvusSchema.DOCUMENT_FIELDS)).isEmpty();
    }

    @Test
    void tombstoneCollectionHasIdLsnAndATinyDummyVector() {
        CollectionSchema schema = MilvusSchema.tombstones();

        assertThat(schema.getFieldSchemaList()).extracting(FieldSchema::getName)
                .containsExactly("id", "source_lsn", "source_ts", "dummy_vector");
        assertThat(MilvusSchema.dimension(schema, "dummy_vector")).isEqualTo(2);
        assertThat(MilvusSchema.missingFields(schema, MilvusSchema.DOCUMENT_FIELDS))
                .containsExactly("embedding", "content", "metadata", "model", "content_hash", "has_embedding");
    }

    @Test
    void tombstonePurgeFilterSelectsByCommitTimeAndSparesTheTruncateWatermark() {
        assertThat(MilvusSchema.tombstonesDeletedBefore(1_000)).isEqualTo("source_ts < 1000 and id != \""
                + BatchPlan.TRUNCATE_WATERMARK_ID + "\"");
    }

    @Test
    void dimensionOutsideMilvusLimitsIsRefused() {
        assertThatThrownBy(() -> MilvusSchema.documents(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimension must be between 1 and 32768, was 0");
        assertThatThrownBy(() -> MilvusSchema.documents(32_769)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vectorIndexIsCosineWithTheConfiguredSettings() {
        IndexParam hnsw = MilvusSchema.vectorIndex(new MilvusSinkConfig("http://h:1", "", "default", IndexType.HNSW,
                24, 100, 1000));
        IndexParam flat = MilvusSchema.vectorIndex(new MilvusSinkConfig("http://h:1", "", "default", IndexType.FLAT,
                24, 100, 1000));

        assertThat(hnsw.getFieldName()).isEqualTo("embedding");
        assertThat(hnsw.getIndexType()).isEqualTo(IndexParam.IndexType.HNSW);
        assertThat(hnsw.getMetricType()).isEqualTo(IndexParam.MetricType.COSINE);
        assertThat(hnsw.getExtraParams()).isEqualTo(Map.of("M", 24, "efConstruction", 100));
        assertThat(flat.getIndexType()).isEqualTo(IndexParam.IndexType.FLAT);
        assertThat(flat.getMetricType()).isEqualTo(IndexParam.MetricType.COSINE);
        assertThat(MilvusSchema.dummyIndex().getFieldName()).isEqualTo("dummy_vector");
    }

    @Test
    void collectionNamesFollowMilvusRulesAndLeaveRoomForTheTombstoneSuffix() {
        assertThat(MilvusSchema.requireCollection("_Articles_2")).isEqualTo("_Articles_2");
        assertThat(MilvusSchema.tombstones("articles")).isEqualTo("articles__tombstones");
        String longest = "a".repeat(MilvusSchema.MAX_COLLECTION_LENGTH);
        assertThat(MilvusSchema.requireCollection(longest)).isEqualTo(longest);
        assertThat(MilvusSchema.tombstones(longest)).hasSize(255);

        for (String bad : new String[] {"1abc", "my-docs", "a b", "", "naïve", "x;drop"}) {
            assertThatThrownBy(() -> MilvusSchema.requireCollection(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("collection '" + bad + "' is not a valid Milvus collection name: it must match"
                            + " [A-Za-z_][A-Za-z0-9_]*");
        }
        assertThatThrownBy(() -> MilvusSchema.requireCollection(longest + "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is 244 characters long but the milvus sink allows at most 243");
    }

    @Test
    void idFilterQuotesEveryIdAsAStringLiteral() {
        assertThat(MilvusSchema.idIn(List.of("a", "b"))).isEqualTo("id in [\"a\",\"b\"]");
        assertThat(MilvusSchema.idIn(List.of("q\"uote", "back\\slash", "new\nline", "tab\t", "cr\r", "nul\u0001")))
                .isEqualTo("id in [\"q\\\"uote\",\"back\\\\slash\",\"new\\nline\",\"tab\\t\",\"cr\\r\","
                        + "\"nul\\u0001\"]");
        assertThat(MilvusSchema.idIn(List.of("ключ-🔑", "it's"))).isEqualTo("id in [\"ключ-🔑\",\"it's\"]");
        // An id that looks like an expression stays inside its literal.
        assertThat(MilvusSchema.idIn(List.of("\" || id != \""))).isEqualTo("id in [\"\\\" || id != \\\"\"]");
    }

    @Test
    void keysetFilterQuotesTheLastIdAsAStringLiteral() {
        assertThat(MilvusSchema.idAfter("10")).isEqualTo("id > \"10\"");
        assertThat(MilvusSchema.idAfter("q\"uote\\")).isEqualTo("id > \"q\\\"uote\\\\\"");
        assertThat(MilvusSchema.idAfter("\" || id != \"")).isEqualTo("id > \"\\\" || id != \\\"\"");
    }

    @Test
    void idsAreSplitIntoFiltersOfBoundedSize() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4_500; i++) {
            ids.add("doc-" + i);
        }

        List<List<String>> chunks = MilvusSchema.idChunks(ids);

        assertThat(chunks).extracting(List::size).containsExactly(2_000, 2_000, 500);
        assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(ids);
        assertThat(MilvusSchema.idChunks(List.of())).isEmpty();

        List<String> big = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            big.add(Integer.toString(i).repeat(300_000));
        }
        assertThat(MilvusSchema.idChunks(big)).extracting(List::size).containsExactly(3, 3, 3, 1);
    }
}
