package io.vectorsync.app.quality;

import io.vectorsync.app.resources.TsvResource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The labelled search set shipped with vectorsync ({@value #DOCUMENTS}, {@value #QUERIES}): short documents written
 * for this project (the demo's articles, plus a few holding error numbers and product codes) and queries with the ids
 * of the documents that answer them. Read once; every label must name a document of the set.
 */
public record LabelledSet(List<Document> documents, List<Query> queries) {
    public static final String DOCUMENTS = "/search/documents.tsv";
    public static final String QUERIES = "/search/queries.tsv";

    /** A document; its text is {@code title: body}, as the demo's template renders it. */
    public record Document(String id, String title, String body) {
        public String text() {
            return title + ": " + body;
        }
    }

    /** A query and the ids of the documents that answer it. */
    public record Query(String text, Set<String> relevant) {
        public Query {
            relevant = Set.copyOf(relevant);
        }
    }

    public LabelledSet {
        documents = List.copyOf(documents);
        queries = List.copyOf(queries);
        Set<String> ids = new HashSet<>();
        for (Document d : documents) {
            if (!ids.add(d.id())) {
                throw new IllegalStateException("document id '" + d.id() + "' appears twice in " + DOCUMENTS);
            }
        }
        for (Query q : queries) {
            for (String id : q.relevant()) {
                if (!ids.contains(id)) {
                    throw new IllegalStateException("query '" + q.text() + "' names document '" + id
                            + "', which " + DOCUMENTS + " does not hold");
                }
            }
        }
    }

    public static LabelledSet load() {
        List<Document> documents = new ArrayList<>();
        for (String[] f : TsvResource.read(DOCUMENTS, "id\ttitle\tbody")) {
            documents.add(new Document(f[0], f[1], f[2]));
        }
        List<Query> queries = new ArrayList<>();
        for (String[] f : TsvResource.read(QUERIES, "query\trelevant")) {
            queries.add(new Query(f[0], new LinkedHashSet<>(Arrays.asList(f[1].split(",")))));
        }
        return new LabelledSet(documents, queries);
    }
}
