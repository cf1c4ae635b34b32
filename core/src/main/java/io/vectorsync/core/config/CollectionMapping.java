package io.vectorsync.core.config;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one source table becomes one collection of documents.
 *
 * @param name     collection name: the pgvector table, the Neo4j label, the Milvus collection
 * @param table    the source table
 * @param idColumns the columns whose values form the document id (the table's primary key)
 * @param template the text to embed
 * @param metadataColumns columns carried along as metadata
 * @param sinks    the stores that receive this collection
 */
public record CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                                List<String> metadataColumns, Set<SinkName> sinks) {

    public CollectionMapping {
        idColumns = List.copyOf(idColumns);
        metadataColumns = List.copyOf(metadataColumns);
        sinks = Set.copyOf(sinks);
    }

    /** Every source column this mapping reads. */
    public Set<String> columns() {
        Set<String> all = new LinkedHashSet<>(idColumns);
        all.addAll(template.columns());
        all.addAll(metadataColumns);
        return all;
    }
}
