package io.vectorsync.drill;

import io.vectorsync.core.Topics;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.testkit.LocalServers;
import io.vectorsync.core.config.KafkaConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Does one planned fault to the running service and undoes it after its hold: kills, stops and restarts processes,
 * restarts servers through {@code scripts/services.sh}, cuts or hangs a store's link, writes hostile rows and poison
 * records. Everything that should end in the dead-letter topic is registered with {@link DeadLetterReasons}.
 */
public final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
    private static final String JOINER = "sink-3";
    private static final List<String> SIZE_WORDS = List.of("bytes", "size", "large", "too big", "exceed");

    private final ProcessFleet fleet;
    private final Map<SinkName, StoreLink> links;
    private final Writer writer;
    private final DeadLetterReasons reasons;
    private final Topics topics;
    private final KafkaProducer<String, String> producer;
    private int nextHostileId = Writer.HOSTILE_IDS;

    public FaultInjector(ProcessFleet fleet, Map<SinkName, StoreLink> links, Writer writer, DeadLetterReasons reasons,
                         Topics topics, KafkaConfig kafka) {
        this.fleet = fleet;
        this.links = links;
        this.writer = writer;
        this.reasons = reasons;
        this.topics = topics;
        this.producer = new KafkaProducer<>(DrillKafka.producer(kafka), new StringSerializer(),
                new StringSerializer());
    }

    /** Does the fault and undoes it; returns once the fault is over (a store back, a process restarted). */
    public void inject(Fault fault) throws Exception {
        LOG.info("{}", fault.describe());
        switch (fault.kind()) {
            case KILL -> {
                fleet.kill(fault.target());
                hold(fault.hold());
                fleet.restart(fault.target());
            }
            case STOP -> {
                fleet.stop(fault.target());
                hold(fault.hold());
                fleet.restart(fault.target());
            }
            case BROKER_RESTART -> restartServer("kafka", fault.hold());
            case SOURCE_RESTART -> restartServer("postgres", fault.hold());
            case STORE_CUT -> {
                StoreLink link = link(fault.target());
                link.cut();
                hold(fault.hold());
                link.restore();
            }
            case STORE_HANG -> {
                StoreLink link = link(fault.target());
                link.hang();
                hold(fault.hold());
                link.restore();
            }
            case SINK_JOIN -> {
                StoreLink link = link(fault.target());
                link.cut();
                hold(fault.hold().dividedBy(3));
                fleet.start(JOINER, "sink");
                hold(fault.hold().minus(fault.hold().dividedBy(3)));
                link.restore();
                hold(fault.hold().dividedBy(3));
                fleet.stop(JOINER);
            }
            case ROW_2MB -> hostileRow(fault.kind(), 2 << 20, SIZE_WORDS);
            case ROW_20MB -> hostileRow(fault.kind(), 20 << 20, SIZE_WORDS);
            case INVALID_TEXT -> hostileRow(fault.kind(), 70_000, List.of("milvus cannot store"));
            case POISON_CDC -> poison("cdc.public." + (fault.number() % 2 == 0 ? "articles" : "notes"));
            case POISON_SINK -> poison(topics.sink(SinkName.fromId(fault.target())));
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private void hostileRow(FaultKind kind, int bytes, List<String> reasonWords) throws Exception {
        int id = nextHostileId++;
        String marker = "hostile-" + kind.id() + "-" + id;
        StringBuilder body = new StringBuilder(bytes + 16);
        String phrase = "the drill writes a long text " + id + " ";
        while (body.length() < bytes) {
            body.append(phrase);
        }
        body.setLength(bytes);
        reasons.expectHostile(new DeadLetterReasons.Hostile(marker, id, kind, reasonWords));
        writer.insertHostileArticle(id, marker, body.toString());
    }

    private void poison(String topic) throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, "poison", "{\"this is\": not a change"))
                .get(60, TimeUnit.SECONDS);
        reasons.expectPoison(m.topic(), m.partition(), m.offset());
        LOG.info("poison record written to {}/{}@{}", m.topic(), m.partition(), m.offset());
    }

    private static void restartServer(String server, Duration down) throws InterruptedException {
        LocalServers.services("down", "--only", server);
        hold(down);
        LocalServers.services("up", "--only", server);
    }

    private StoreLink link(String store) {
        return links.get(SinkName.fromId(store));
    }

    /** The fault's planned duration: the outage itself, not a wait for something to happen. */
    private static void hold(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
