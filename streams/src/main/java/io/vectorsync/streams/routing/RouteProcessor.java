package io.vectorsync.streams.routing;

import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.EnrichedChange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Forwards one copy of each enriched change per sink it goes to, with the route's headers. Modes are read from the
 * global store that {@link ModeStatusUpdater} keeps, at the moment the change is routed.
 */
public final class RouteProcessor implements Processor<String, EnrichedChange, String, Routed> {
    private static final Logger LOG = LoggerFactory.getLogger(RouteProcessor.class);

    private final MappingConfig mappings;
    private final String modesStore;
    private ProcessorContext<String, Routed> context;
    private SinkRouter router;

    public RouteProcessor(MappingConfig mappings, String modesStore) {
        this.mappings = mappings;
        this.modesStore = modesStore;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        KeyValueStore<String, ModeStatus> modes = context.getStateStore(modesStore);
        this.router = new SinkRouter(mappings, collection -> Optional.ofNullable(modes.get(collection)));
    }

    @Override
    public void process(Record<String, EnrichedChange> record) {
        List<Routed> routes = router.route(record.value());
        for (Routed routed : routes) {
            context.forward(record.withValue(routed).withHeaders(RouteHeaders.of(routed)));
        }
        LOG.trace("routed {} to {}", record.key(), routes.stream().map(Routed::sink).toList());
    }
}
