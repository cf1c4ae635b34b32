package io.vectorsync.validation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One collection in the report.
 *
 * @param sourceRows        source rows compared (the whole table for a full scan, the sample otherwise)
 * @param rechecked         differing documents read again after the re-check delay
 * @param resolvedOnRecheck of those, how many matched on the second look (changes still in flight) and are not
 *                          reported
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"collection", "table", "full", "source_rows", "rechecked", "resolved_on_recheck", "stores"})
public record CollectionReport(String collection, String table, boolean full, long sourceRows, long rechecked,
                               long resolvedOnRecheck, List<StoreReport> stores) {

    public CollectionReport {
        stores = List.copyOf(stores);
    }

    public boolean clean() {
        return stores.stream().allMatch(StoreReport::clean);
    }
}
