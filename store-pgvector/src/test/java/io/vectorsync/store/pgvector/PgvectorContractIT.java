package io.vectorsync.store.pgvector;

import io.vectorsync.core.config.ConfigReader;
import io.vectorsync.sink.api.Sink;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.sink.contract.Documents;
import io.vectorsync.sink.contract.SinkContract;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.testkit.Services;
import org.junit.jupiter.api.BeforeAll;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

class PgvectorContractIT extends SinkContract {
    private static Services servers;
    private static String database;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        servers = LocalServers.get();
        database = servers.freshDatabase("pgvector_contract");
    }

    @Override
    protected InetSocketAddress storeAddress() {
        return new InetSocketAddress(servers.pgHost(), servers.pgPort());
    }

    @Override
    protected Sink openSink(String host, int port) {
        return new PgvectorSink(config("jdbc:postgresql://" + host + ":" + port + "/" + database), Documents.DIM);
    }

    @Override
    protected Sink openSink(String host, int port, Duration timeout) {
        return new PgvectorSink(config("jdbc:postgresql://" + host + ":" + port + "/" + database,
                Map.of("sink.pgvector.timeout.ms", Long.toString(timeout.toMillis()))), Documents.DIM);
    }

    @Override
    protected SinkReader openReader() {
        return new PgvectorReader(config(servers.jdbcUrl(database)));
    }

    private static PgvectorSinkConfig config(String url) {
        return config(url, Map.of());
    }

    private static PgvectorSinkConfig config(String url, Map<String, String> more) {
        Map<String, String> raw = new HashMap<>(more);
        raw.put("sink.pgvector.url", url);
        ConfigReader reader = new ConfigReader(raw);
        PgvectorSinkConfig config = PgvectorSinkConfig.from(reader);
        reader.finish();
        return config;
    }
}
