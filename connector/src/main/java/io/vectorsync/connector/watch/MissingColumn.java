package io.vectorsync.connector.watch;

import io.vectorsync.core.model.TableId;

import java.util.List;

/**
 * A column a mapping reads that its table no longer has (dropped, or renamed): every later change of the table goes
 * to the dead-letter topic naming it, until the column is back or the mapping changes.
 *
 * @param collections the collections that read it
 * @param sinceMs     when the watch first saw it missing
 */
public record MissingColumn(TableId table, String column, List<String> collections, long sinceMs) {

    public MissingColumn {
        collections = List.copyOf(collections);
    }

    /** One sentence an operator can act on, as the log, {@code /health}, {@code status} and the dashboard show it. */
    public String describe() {
        return "column '" + column + "' of " + table + ", read by collection" + (collections.size() == 1 ? " " : "s ")
                + String.join(", ", collections) + ", was dropped or renamed: each later change of the table is"
                + " dead-lettered. Put the column back or change the mapping ('vectorsync config check' names the"
                + " key), then run 'vectorsync validate --repair'";
    }
}
