package io.vectorsync.connector.watch;

import io.vectorsync.core.model.TableId;

import java.util.List;
import java.util.Optional;

/**
 * A captured table that no longer exists under its configured name: Debezium captures by name, so none of its changes
 * reach any store while this lasts.
 *
 * @param table       the configured name
 * @param collections the collections mapped on it
 * @param renamedTo   {@code schema.table} it now has, when it was renamed rather than dropped
 * @param sinceMs     when the watch first saw it missing
 */
public record MissingTable(TableId table, List<String> collections, Optional<String> renamedTo, long sinceMs) {

    public MissingTable {
        collections = List.copyOf(collections);
    }

    /** One sentence an operator can act on; the same text in the log, {@code /health}, {@code status} and the dashboard. */
    public String describe() {
        String what = renamedTo.map(n -> "was renamed to " + n).orElse("was dropped (or renamed and then dropped)");
        return "captured table " + table + " (collection" + (collections.size() == 1 ? " " : "s ")
                + String.join(", ", collections) + ") " + what + ": its changes are no longer captured."
                + renamedTo.map(n -> " To follow the rename, set the collection's table to " + n
                        + ", restart, then run 'vectorsync validate --repair' (README: 'A captured table is renamed')")
                        .orElse(" Restore the table or remove the collection from the configuration");
    }
}
