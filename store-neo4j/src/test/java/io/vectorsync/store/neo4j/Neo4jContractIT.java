package io.vectorsync.store.neo4j;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.SinkContract;
import io.vectorsync.testkit.LocalServers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The Neo4j sink against what every sink promises; relationships and tombstone nodes are in {@code Neo4jSinkIT}. */
class Neo4jContractIT extends SinkContract {

    @Override
    protected InetSocketAddress storeAddress() {
        URI uri = URI.create(LocalServers.get().neo4jUri());
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    @Override
    protected Sink openSink(String host, int port) {
        return new Neo4jSink(config("bolt://" + host + ":" + port), Documents.DIM);
    }

    @Override
    protected Sink openSink(String host, int port, Duration timeout) {
        return new Neo4jSink(config("bolt://" + host + ":" + port, Map.of("sink.neo4j.timeout.ms",
                Long.toString(timeout.toMillis()))), Documents.DIM);
    }

    @Override
    protected SinkReader openReader() {
        return new Neo4jReader(config(LocalServers.get().neo4jUri()));
    }

    private static Neo4jSinkConfig config(String uri) {
        return config(uri, Map.of());
    }

    private static Neo4jSinkConfig config(String uri, Map<String, String> more) {
        Map<String, String> raw = new HashMap<>(more);
        raw.put("sink.neo4j.uri", uri);
        ConfigReader reader = new ConfigReader(raw);
        Neo4jSinkConfig config = Neo4jSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
