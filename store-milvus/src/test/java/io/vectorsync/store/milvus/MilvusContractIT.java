package io.vectorsync.store.milvus;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.SinkContract;
import io.vectorsync.testkit.LocalServers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The contract every sink passes, against the test profile's Milvus. */
class MilvusContractIT extends SinkContract {
    /** Short, so the outage test's retries come quickly: each costs one call timeout while Milvus is away. */
    private static final String TIMEOUT_MS = "5000";

    @Override
    protected InetSocketAddress storeAddress() {
        URI uri = URI.create(LocalServers.get().milvusUri());
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    @Override
    protected Sink openSink(String host, int port) {
        return new MilvusSink(config("http://" + host + ":" + port), Documents.DIM);
    }

    @Override
    protected Sink openSink(String host, int port, Duration timeout) {
        return new MilvusSink(config("http://" + host + ":" + port, Long.toString(timeout.toMillis())), Documents.DIM);
    }

    @Override
    protected SinkReader openReader() {
        return new MilvusReader(config(LocalServers.get().milvusUri()));
    }

    private static MilvusSinkConfig config(String uri) {
        return config(uri, TIMEOUT_MS);
    }

    private static MilvusSinkConfig config(String uri, String timeoutMs) {
        ConfigReader reader = new ConfigReader(Map.of("sink.milvus.uri", uri, "sink.milvus.timeout.ms", timeoutMs));
        MilvusSinkConfig config = MilvusSinkConfig.from(reader);
        reader.finish();
        return config;
    }

    @Override
    protected java.util.Optional<String> expectedKeywordRefusal() {
        return java.util.Optional.of("Milvus 2.3 has no keyword search; ask pgvector or neo4j, or use mode=vector");
    }
}
