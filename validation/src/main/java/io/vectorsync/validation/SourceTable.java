package io.vectorsync.validation;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source table of one collection, as the validator reads it. Keys are id column values as text, in the
 * mapping's id column order.
 *
 * @see SourceScanner
 */
public interface SourceTable extends AutoCloseable {

    /** Rows in the table now. */
    long count();

    /**
     * Up to {@code limit} rows whose key comes after {@code after} in the table's own key order (null: from the
     * first), in that order.
     */
    List<SourceRow> page(List<String> after, int limit);

    /** The rows among {@code keys} the table holds, by document id; a key no row of the table can have is absent. */
    Map<String, SourceRow> rows(Collection<List<String>> keys);

    /** Up to {@code n} keys picked at random. */
    List<List<String>> sampleKeys(int n);

    /**
     * Which of these document ids name a source row. An id that cannot be split into the mapping's id columns, or
     * whose values no row can hold, names none.
     */
    Set<String> existing(Collection<String> documentIds);

    @Override
    void close();
}
