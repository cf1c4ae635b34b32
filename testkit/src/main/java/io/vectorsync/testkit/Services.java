package io.vectorsync.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Addresses of the running local servers, and helpers to give each test its own database.
 *
 * @param neo4jUri  Bolt URI of the Neo4j server, e.g. {@code bolt://127.0.0.1:17697} (no auth)
 * @param milvusUri URI of the Milvus proxy, e.g. {@code http://127.0.0.1:19540}
 */
public record Services(String pgHost, int pgPort, String kafkaBootstrap, String neo4jUri, String milvusUri) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    /** A new, empty database with a unique name (pgvector extension created), for one test class. */
    public String freshDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        try (Connection c = connect(name); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
        return name;
    }

    /** A unique suffix for topic, group and slot names, so tests sharing the servers never see each other. */
    public static String uniqueSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }
}
