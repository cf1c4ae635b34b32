package io.vectorsync.streams.routing;

import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.StorageMode;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The headers of every record on a sink topic: how the sink must deliver it and which mode routed it. The value
 * stays the plain change, so a sink that ignores headers reads it as before.
 */
public final class RouteHeaders {
    /** {@code required} or {@code best_effort}; see {@link StorageMode.Delivery#fromHeader(String)}. */
    public static final String DELIVERY = StorageMode.Delivery.HEADER;
    /** The storage mode's name, or {@link #NO_MODE} for a collection that does not migrate. */
    public static final String MODE = "vectorsync.mode";
    /** The epoch of the status the change was routed under, in decimal. */
    public static final String EPOCH = ModeStatus.EPOCH_HEADER;
    public static final String NO_MODE = "none";

    private RouteHeaders() {
    }

    /** Fresh headers for one routed copy: copies of one change must not share a mutable header set. */
    public static Headers of(Routed routed) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, DELIVERY, routed.delivery().id());
        add(headers, MODE, routed.mode().map(Enum::name).orElse(NO_MODE));
        add(headers, EPOCH, Long.toString(routed.epoch()));
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
