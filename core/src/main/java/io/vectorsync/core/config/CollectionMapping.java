package io.vectorsync.core.config;

import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.TableId;
import io.vectorsync.core.model.TextTemplate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How one source table becomes one collection of documents.
 *
 * @param name     collection name: the pgvector table, the Neo4j label, the Milvus collection
 * @param table    the source table
 * @param idColumns the columns whose values form the document id (the table's primary key)
 * @param template the text to embed
 * @param metadataColumns columns carried along as metadata
 * @param sinks    every store that may receive this collection; for a migrating collection its legacy and target
 * @param relations foreign-key columns that graph stores turn into relationships
 * @param migration the legacy and target stores, when the collection migrates between them: its writes and reads
 *                  then follow its storage mode
 */
public record CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                                List<String> metadataColumns, Set<SinkName> sinks, List<Relation> relations,
                                Optional<Migration> migration) {

    public CollectionMapping {
        idColumns = List.copyOf(idColumns);
        metadataColumns = List.copyOf(metadataColumns);
        relations = List.copyOf(relations);
        sinks = migration.map(m -> Set.of(m.legacy(), m.target())).orElse(Set.copyOf(sinks));
    }

    /** A mapping that does not migrate. */
    public CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                             List<String> metadataColumns, Set<SinkName> sinks, List<Relation> relations) {
        this(name, table, idColumns, template, metadataColumns, sinks, relations, Optional.empty());
    }

    /** A mapping without relations. */
    public CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                             List<String> metadataColumns, Set<SinkName> sinks) {
        this(name, table, idColumns, template, metadataColumns, sinks, List.of(), Optional.empty());
    }

    /** Every source column this mapping reads. */
    public Set<String> columns() {
        Set<String> all = new LinkedHashSet<>(idColumns);
        all.addAll(template.columns());
        all.addAll(carriedColumns());
        return all;
    }

    /** The columns each document carries as metadata: the metadata columns, then any relation column not among them. */
    public List<String> carriedColumns() {
        Set<String> carried = new LinkedHashSet<>(metadataColumns);
        relations.forEach(r -> carried.add(r.column()));
        return List.copyOf(carried);
    }
}
