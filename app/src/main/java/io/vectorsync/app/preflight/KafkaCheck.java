package io.vectorsync.app.preflight;

import io.vectorsync.app.pipeline.TopicSetup;
import io.vectorsync.core.config.KafkaClientSecurity;
import io.vectorsync.core.config.KafkaConfig;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.kafka.KafkaDenied;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.PreflightCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kafka: the cluster answers, its version, the pipeline's topics exist or can be created, the replication fits. */
final class KafkaCheck implements PreflightCheck {
    private static final String METADATA_VERSION = "metadata.version";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final KafkaConfig kafka;
    private final MappingConfig mappings;
    private final Duration timeout;

    KafkaCheck(KafkaConfig kafka, MappingConfig mappings, Duration timeout) {
        this.kafka = kafka;
        this.mappings = mappings;
        this.timeout = timeout;
    }

    @Override
    public String group() {
        return "kafka";
    }

    @Override
    public Duration timeout() {
        return timeout.multipliedBy(PreflightCheck.CALLS_PER_GROUP);
    }

    @Override
    public String target() {
        return "Kafka at " + kafka.bootstrapServers();
    }

    @Override
    public List<CheckResult> run() throws InterruptedException {
        Admin admin = Admin.create(adminProperties());
        try {
            Collection<Node> brokers;
            String clusterId;
            try {
                DescribeClusterResult cluster = admin.describeCluster();
                brokers = await(cluster.nodes());
                clusterId = await(cluster.clusterId());
            } catch (ExecutionException | TimeoutException e) {
                Optional<String> refused = KafkaDenied.explain(e, kafka.clientProperties(), "DESCRIBE",
                        "the cluster");
                if (refused.isPresent()) {
                    return List.of(CheckResult.fail("kafka.reachable", "the broker at " + kafka.bootstrapServers()
                                    + " refused vectorsync: " + refused.get(), "check the "
                                    + KafkaClientSecurity.PREFIX + "* settings and the principal's credentials"
                                    + " and ACLs (docs/security.md)"),
                            security(kafka.security(), kafka.bootstrapServers()));
                }
                return List.of(CheckResult.fail("kafka.reachable", "no broker at " + kafka.bootstrapServers()
                                + " answered within " + timeout.toSeconds() + " s: " + Failures.describe(e),
                        "start Kafka at " + kafka.bootstrapServers() + " or correct "
                                + KafkaConfig.BOOTSTRAP.name()));
            }
            List<CheckResult> rows = new ArrayList<>();
            rows.add(CheckResult.ok("kafka.reachable", "cluster " + clusterId + " at " + kafka.bootstrapServers()
                    + ": " + brokers.size() + (brokers.size() == 1 ? " broker" : " brokers")));
            rows.add(version(admin));
            rows.add(topics(admin));
            rows.add(replication(kafka.replicationFactor(), brokers.size()));
            rows.add(security(kafka.security(), kafka.bootstrapServers()));
            return rows;
        } finally {
            // close() would wait for calls that are still retrying after their future timed out here.
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private CheckResult version(Admin admin) throws InterruptedException {
        String check = "kafka.version";
        try {
            FinalizedVersionRange range = await(admin.describeFeatures().featureMetadata()).finalizedFeatures()
                    .get(METADATA_VERSION);
            if (range == null) {
                return CheckResult.warn(check, "the cluster has no finalized " + METADATA_VERSION
                        + " feature (not a KRaft cluster?), so its version is unknown", versionFix());
            }
            // Admin clients see feature levels only; the release name lives in the broker's own code.
            return CheckResult.ok(check, METADATA_VERSION + " feature level " + range.maxVersionLevel()
                    + " (KRaft)");
        } catch (ExecutionException | TimeoutException e) {
            return CheckResult.warn(check, "the version could not be read: " + Failures.describe(e), versionFix());
        }
    }

    private static String versionFix() {
        return "make sure the brokers run Kafka 3.x or later: vectorsync is built and tested against Kafka 4.3,"
                + " whose clients do not talk to brokers older than 2.1";
    }

    private CheckResult topics(Admin admin) throws InterruptedException {
        String check = "kafka.topics";
        List<String> wanted = TopicSetup.topics(kafka, mappings);
        Set<String> existing;
        try {
            existing = await(admin.listTopics().names());
        } catch (ExecutionException | TimeoutException e) {
            return CheckResult.fail(check, "the topics could not be listed: " + Failures.describe(e),
                    "give vectorsync's Kafka user the right to describe topics");
        }
        List<String> missing = wanted.stream().filter(t -> !existing.contains(t)).toList();
        if (missing.isEmpty()) {
            return CheckResult.ok(check, "all " + wanted.size() + " topics of pipeline '"
                    + kafka.topics().pipeline() + "' exist");
        }
        // A dry run of the creation vectorsync does at start: the broker says whether it would accept it.
        List<NewTopic> creates = missing.stream().map(t -> new NewTopic(t, kafka.partitions(),
                kafka.replicationFactor())).toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(creates, new CreateTopicsOptions()
                .validateOnly(true).timeoutMs((int) timeout.toMillis())).values();
        Map<String, String> refused = new LinkedHashMap<>();
        for (Map.Entry<String, KafkaFuture<Void>> r : results.entrySet()) {
            try {
                await(r.getValue());
            } catch (ExecutionException | TimeoutException e) {
                refused.put(r.getKey(), Failures.describe(e));
            }
        }
        if (!refused.isEmpty()) {
            Map.Entry<String, String> first = refused.entrySet().iterator().next();
            return CheckResult.fail(check, refused.size() + " of " + missing.size() + " missing topics cannot be"
                            + " created, " + first.getKey() + ": " + first.getValue(),
                    "create " + String.join(", ", refused.keySet()) + " yourself, or let vectorsync's Kafka user"
                            + " create topics and check " + KafkaConfig.PARTITIONS.name() + " and "
                            + KafkaConfig.REPLICATION.name());
        }
        return CheckResult.warn(check, missing.size() + " of " + wanted.size() + " topics do not exist yet ("
                        + String.join(", ", missing) + "): created at start",
                "none on a first start; otherwise check " + KafkaConfig.PIPELINE.name() + " and the collections'"
                        + " tables");
    }

    /**
     * Pure: how vectorsync logs in to Kafka. Plain text to a broker that is not on this machine is a warning: anyone
     * on the network can read the changes and write the control topic.
     */
    static CheckResult security(KafkaClientSecurity security, String bootstrap) {
        String check = "kafka.security";
        String how = security.protocol() + (security.sasl() ? " " + security.properties().get("sasl.mechanism")
                + (security.username().isEmpty() ? "" : " as User:" + security.username()) : "");
        boolean local = java.util.Arrays.stream(bootstrap.split(",")).map(String::trim)
                .allMatch(b -> b.startsWith("127.") || b.startsWith("localhost:") || b.startsWith("[::1]"));
        if (!security.tls() && !local) {
            return CheckResult.warn(check, how + " to " + bootstrap + ": changes and mode requests travel"
                    + (security.sasl() ? " unencrypted" : " unencrypted and unauthenticated"),
                    "set " + KafkaClientSecurity.PREFIX + "security.protocol=SASL_SSL (or SSL) and the"
                            + " credentials, see README 'Security'");
        }
        return CheckResult.ok(check, how);
    }

    /** Pure: the replication factor vectorsync creates topics with must fit the brokers there are. */
    static CheckResult replication(int replicationFactor, int brokers) {
        String check = "kafka.replication";
        String detail = KafkaConfig.REPLICATION.name() + " is " + replicationFactor + " with " + brokers
                + (brokers == 1 ? " broker" : " brokers");
        if (replicationFactor <= brokers) {
            return CheckResult.ok(check, detail);
        }
        return CheckResult.fail(check, detail + ": topics cannot be created",
                "set " + KafkaConfig.REPLICATION.name() + " to at most " + brokers + ", or add brokers");
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Properties adminProperties() {
        int ms = (int) timeout.toMillis();
        Properties p = kafka.clientPropertiesAsProperties();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vectorsync-preflight");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 5_000));
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 5_000));
        return p;
    }
}
