package io.vectorsync.drill;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.api.SinkReader;
import io.vectorsync.streams.embedding.EmbeddingProvider;
import io.vectorsync.streams.embedding.EmbeddingProviders;
import io.vectorsync.testkit.Services;
import io.vectorsync.validation.SourceScanner;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * One fault drill, start to end: fresh source and pgvector databases, the tables {@code articles} and
 * {@code notes}, the stores behind {@link StoreLink}s, the service as a {@link ProcessFleet} (connector, two
 * streams workers, two sinks), the {@link Writer} writing throughout, the {@link FaultPlan} carried out by the
 * {@link FaultInjector}, then the {@link Audit}.
 */
public final class Drill {
    private static final Logger LOG = LoggerFactory.getLogger(Drill.class);
    private static final Duration WARM_UP = Duration.ofMinutes(4);
    private static final List<String> CDC_TOPICS = List.of("cdc.public.articles", "cdc.public.notes");

    private Drill() {
    }

    /**
     * @param classpath the classpath the service's processes run from (the app and its libraries)
     */
    public static DrillResult run(DrillSettings settings, Services servers, Path work, String classpath)
            throws Exception {
        FaultPlan plan = FaultPlan.of(settings);
        LOG.info("drill {}; replay with: {}", settings, settings.replay());
        plan.faults().forEach(f -> LOG.info("planned {}", f.describe()));
        String suffix = Services.uniqueSuffix();
        String sourceDb = servers.freshDatabase("drill_src");
        String sinkDb = servers.freshDatabase("drill_sink");
        try (Connection c = servers.connect(sourceDb)) {
            Writer.createTables(c);
        }
        Map<String, String> direct = config(servers, settings, suffix, sourceDb);
        direct.put("sink.pgvector.url", servers.jdbcUrl(sinkDb));
        direct.put("sink.neo4j.uri", servers.neo4jUri());
        direct.put("sink.milvus.uri", servers.milvusUri());
        AppConfig auditConfig = AppConfigLoader.load(direct, false);
        freshCdcTopics(auditConfig.kafka());

        Map<SinkName, StoreLink> links = new EnumMap<>(SinkName.class);
        Map<SinkName, SinkReader> readers = new EnumMap<>(SinkName.class);
        DeadLetterReasons reasons = new DeadLetterReasons();
        Writer writer = new Writer(servers.jdbcUrl(sourceDb), settings.seed(), settings.writesPerSecond());
        try {
            Map<String, String> viaLinks = new LinkedHashMap<>(direct);
            links.put(SinkName.PGVECTOR, StoreLink.to(SinkName.PGVECTOR, direct.get("sink.pgvector.url")));
            links.put(SinkName.NEO4J, StoreLink.to(SinkName.NEO4J, direct.get("sink.neo4j.uri")));
            links.put(SinkName.MILVUS, StoreLink.to(SinkName.MILVUS, direct.get("sink.milvus.uri")));
            links.forEach((store, link) -> viaLinks.put("sink." + store.id() + (store == SinkName.PGVECTOR ? ".url"
                    : ".uri"), link.address()));
            for (SinkName store : SinkName.values()) {
                readers.put(store, Stores.reader(auditConfig, store));
            }
            long started = System.nanoTime();
            DrillResult result;
            try (ProcessFleet fleet = new ProcessFleet(work, viaLinks, classpath);
                 FaultInjector injector = new FaultInjector(fleet, links, writer, reasons,
                         auditConfig.kafka().topics(), auditConfig.kafka());
                 EmbeddingProvider model = EmbeddingProviders.create(auditConfig.embedding())) {
                fleet.start(ProcessFleet.CONNECTOR, "connector");
                fleet.start("streams-1", "streams");
                fleet.start("streams-2", "streams");
                fleet.start("sink-1", "sink");
                fleet.start("sink-2", "sink");
                writer.start();
                String articles = "articles_" + suffix;
                await("documents in every store after start-up").atMost(WARM_UP).pollInterval(Duration.ofSeconds(2))
                        .ignoreExceptions().until(() -> readers.values().stream()
                                .allMatch(r -> uncheckedCount(r, articles) > 0));
                LOG.info("warm: every store holds documents after {} s", (System.nanoTime() - started) / 1_000_000_000);
                for (Fault fault : plan.faults()) {
                    // The quiet gap between faults is part of the plan: the writer keeps writing through it.
                    Thread.sleep(fault.gap().toMillis());
                    writer.failure().ifPresent(e -> {
                        throw new IllegalStateException("the writer failed before " + fault.describe(), e);
                    });
                    injector.inject(fault);
                }
                writer.stop();
                LOG.info("faults done after {} s; writer: {} transactions, {} reconnects",
                        (System.nanoTime() - started) / 1_000_000_000, writer.transactions(), writer.reconnects());
                List<CollectionMapping> collections = auditConfig.mappings().collections();
                ConnectorConfig source = auditConfig.source();
                Audit audit = new Audit(collections, m -> new SourceScanner(source.sourceDatabase(), m),
                        servers.jdbcUrl(sourceDb), readers,
                        model, reasons, auditConfig.kafka());
                Audit.Tally tally = audit.awaitQuiescenceAndCompare(settings.settle());
                result = new DrillResult(plan.faults().size(), tally.compared(), tally.lost(), tally.doubled(),
                        tally.stale(), tally.dlq(), tally.unexplained(), tally.findings(), fleet.unexpectedExits());
            }
            LOG.info("drill took {} s", (System.nanoTime() - started) / 1_000_000_000);
            result.findings().forEach(f -> LOG.warn("finding: {}", f));
            result.exits().forEach(e -> LOG.warn("unexpected exit: {}", e));
            return result;
        } finally {
            writer.close();
            readers.values().forEach(SinkReader::close);
            links.values().forEach(StoreLink::close);
            dropSlot(servers, sourceDb, "drill_" + suffix);
        }
    }

    /**
     * The service's configuration; {@link DrillSettings#kafka()} (a secured broker's address and
     * {@code kafka.client.*} security) replaces the local plain listener, for the service and the drill's own clients.
     */
    private static Map<String, String> config(Services servers, DrillSettings settings, String suffix,
                                              String sourceDb) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap.servers", servers.kafkaBootstrap());
        c.putAll(settings.kafka());
        c.put("kafka.topic.partitions", "3");
        c.put("pipeline.name", "drill_" + suffix);
        c.put("source.host", servers.pgHost());
        c.put("source.port", Integer.toString(servers.pgPort()));
        c.put("source.database", sourceDb);
        c.put("source.slot.name", "drill_" + suffix);
        c.put("source.publication.name", "drill_" + suffix);
        c.put("source.offsets.topic", "drill_" + suffix + ".offsets");
        c.put("streams.application.id", "drill-" + suffix);
        c.put("embedding.batch.max.wait.ms", "50");
        // An outage must fail a batch within seconds, not hold a worker for the default 30 s.
        c.put("sink.neo4j.timeout.ms", "5000");
        c.put("sink.milvus.timeout.ms", "5000");
        c.put("sink.retry.backoff.max.ms", "2000");
        Writer.mapCollections(c, suffix);
        return c;
    }

    /** The CDC topics are named after the tables only: remove what an earlier run or test left in them. */
    private static void freshCdcTopics(KafkaConfig kafka) throws Exception {
        try (Admin admin = Admin.create(DrillKafka.admin(kafka))) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> old = new ArrayList<>(CDC_TOPICS);
            old.retainAll(existing);
            if (old.isEmpty()) {
                return;
            }
            admin.deleteTopics(old).all().get();
            await("old CDC topics deleted").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.listTopics().names().get().stream().noneMatch(CDC_TOPICS::contains));
        }
    }

    private static long uncheckedCount(SinkReader reader, String collection) {
        try {
            return reader.count(collection);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void dropSlot(Services servers, String database, String slot) {
        try {
            await("replication slot " + slot + " released").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> {
                        try (Connection c = servers.connect(database);
                             PreparedStatement ps = c.prepareStatement("SELECT count(pg_drop_replication_slot("
                                     + "slot_name)) FROM pg_replication_slots WHERE slot_name = ? AND NOT active");
                             PreparedStatement left = c.prepareStatement(
                                     "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
                            ps.setString(1, slot);
                            ps.execute();
                            left.setString(1, slot);
                            try (ResultSet rs = left.executeQuery()) {
                                rs.next();
                                return rs.getInt(1) == 0;
                            }
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("could not drop replication slot {}: {}", slot, e.getMessage());
        }
    }
}
