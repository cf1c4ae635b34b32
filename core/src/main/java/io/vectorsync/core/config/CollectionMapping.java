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
 * @param vectorColumn the source column each document's vector is read from, when the vectors are already in the
 *                     source: no model is called for this collection, its text is stored but not embedded
 */
public record CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                                List<String> metadataColumns, Set<SinkName> sinks, List<Relation> relations,
                                Optional<Migration> migration, Optional<String> vectorColumn) {
    /** A vector read from a source column says so in its model id: {@code source:<column>}. */
    public static final String SOURCE_MODEL_PREFIX = "source:";

    public CollectionMapping {
        idColumns = List.copyOf(idColumns);
        metadataColumns = List.copyOf(metadataColumns);
        relations = List.copyOf(relations);
        sinks = migration.map(m -> Set.of(m.legacy(), m.target())).orElse(Set.copyOf(sinks));
        vectorColumn = vectorColumn == null ? Optional.empty() : vectorColumn;
    }

    /** A mapping whose vectors a model makes. */
    public CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                             List<String> metadataColumns, Set<SinkName> sinks, List<Relation> relations,
                             Optional<Migration> migration) {
        this(name, table, idColumns, template, metadataColumns, sinks, relations, migration, Optional.empty());
    }

    /** A mapping that does not migrate. */
    public CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                             List<String> metadataColumns, Set<SinkName> sinks, List<Relation> relations) {
        this(name, table, idColumns, template, metadataColumns, sinks, relations, Optional.empty(), Optional.empty());
    }

    /** A mapping without relations. */
    public CollectionMapping(String name, TableId table, List<String> idColumns, TextTemplate template,
                             List<String> metadataColumns, Set<SinkName> sinks) {
        this(name, table, idColumns, template, metadataColumns, sinks, List.of(), Optional.empty(), Optional.empty());
    }

    /** This mapping with each document's vector read from {@code column} instead of made by the model. */
    public CollectionMapping withVectorColumn(String column) {
        return new CollectionMapping(name, table, idColumns, template, metadataColumns, sinks, relations, migration,
                Optional.of(column));
    }

    /**
     * The id model of this collection's vectors: {@code source:<column>} when they come from a source column,
     * otherwise {@code embedderModel}.
     */
    public String modelId(String embedderModel) {
        return vectorColumn.map(c -> SOURCE_MODEL_PREFIX + c).orElse(embedderModel);
    }

    /**
     * Every source column this mapping reads into a document's text, id and metadata. The vector column is not
     * among them: it is read on its own ({@link #sourceColumns()} has it too).
     */
    public Set<String> columns() {
        Set<String> all = new LinkedHashSet<>(idColumns);
        all.addAll(template.columns());
        all.addAll(carriedColumns());
        return all;
    }

    /** Every source column the mapping reads, the vector column included: what the source table must have. */
    public Set<String> sourceColumns() {
        Set<String> all = columns();
        vectorColumn.ifPresent(all::add);
        return all;
    }

    /** The columns each document carries as metadata: the metadata columns, then any relation column not among them. */
    public List<String> carriedColumns() {
        Set<String> carried = new LinkedHashSet<>(metadataColumns);
        relations.forEach(r -> carried.add(r.column()));
        return List.copyOf(carried);
    }
}
