package io.vectorsync.store.milvus;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.utility.response.CheckHealthResp;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.StoreCheck;
import io.vectorsync.sink.preflight.StoreDimensions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Milvus: healthy, its version (2.3 or later), and each collection absent or of the configured dimension. */
final class MilvusCheck extends StoreCheck {
    private static final String DEFAULT_DATABASE = "default";
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+).*");

    private final MilvusSinkConfig config;

    MilvusCheck(MilvusSinkConfig config, List<String> collections, int dimension, Duration timeout) {
        super(collections, dimension, timeout);
        this.config = config;
    }

    @Override
    public String group() {
        return "milvus";
    }

    @Override
    public String target() {
        return "Milvus at " + config.safeUri();
    }

    @Override
    public List<CheckResult> run() throws InterruptedException {
        String unreachableFix = "start Milvus at " + config.safeUri() + ", or correct "
                + MilvusSinkConfig.URI_KEY.name()
                + (config.token().isEmpty() ? "" : " / " + MilvusSinkConfig.TOKEN.name());
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        ConnectConfig.ConnectConfigBuilder connect = ConnectConfig.builder().uri(config.uri()).connectTimeoutMs(ms)
                .rpcDeadlineMs(ms);
        if (!config.token().isEmpty()) {
            connect.token(config.token());
        }
        MilvusClientV2 client;
        try {
            client = new MilvusClientV2(connect.build());
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail("milvus.health", "cannot connect to Milvus at " + config.safeUri() + ": "
                    + describe(e), unreachableFix));
        }
        try {
            // The SDK's own retries would hold an unanswered call for minutes.
            client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
            List<CheckResult> rows = new ArrayList<>();
            CheckHealthResp health;
            try {
                health = client.checkHealth();
            } catch (RuntimeException e) {
                return List.of(CheckResult.fail("milvus.health", "Milvus at " + config.safeUri() + " did not answer"
                        + " a health check: " + describe(e), unreachableFix));
            }
            if (!Boolean.TRUE.equals(health.getIsHealthy())) {
                rows.add(CheckResult.fail("milvus.health", "Milvus at " + config.safeUri() + " is not healthy: "
                                + health.getReasons(),
                        "look at Milvus's log and restart it; /healthz on its metrics port says the same"));
            } else {
                rows.add(CheckResult.ok("milvus.health", "Milvus at " + config.safeUri() + " is healthy"));
            }
            rows.add(version(client.getServerVersion()));
            boolean database = config.database().equals(DEFAULT_DATABASE)
                    || client.listDatabases().getDatabaseNames().contains(config.database());
            for (String collection : collections) {
                rows.add(collection(client, database, collection));
            }
            return rows;
        } finally {
            client.close(1);
        }
    }

    /** gRPC statuses carry their wait-for-ready bookkeeping after the message proper; it helps nobody here. */
    private static String describe(RuntimeException e) {
        String text = Failures.describe(e);
        for (String marker : List.of(". Name resolution", " [")) {
            int at = text.indexOf(marker);
            text = at < 0 ? text : text.substring(0, at);
        }
        return text;
    }

    /** Pure: upserts, which the sink writes with, came in Milvus 2.3. */
    static CheckResult version(String version) {
        String check = "milvus.version";
        Matcher m = VERSION.matcher(version == null ? "" : version.trim());
        if (m.matches() && (Integer.parseInt(m.group(1)) < 2
                || Integer.parseInt(m.group(1)) == 2 && Integer.parseInt(m.group(2)) < 3)) {
            return CheckResult.fail(check, "Milvus " + version + " has no upsert, which the sink writes with (it"
                    + " came in 2.3)", "upgrade Milvus to 2.3 or later (vectorsync is tested with 2.3.5)");
        }
        return CheckResult.ok(check, "Milvus " + version);
    }

    private CheckResult collection(MilvusClientV2 client, boolean database, String collection) {
        String check = "milvus.collection:" + collection;
        try {
            MilvusSchema.requireCollection(collection);
        } catch (IllegalArgumentException e) {
            return CheckResult.fail(check, e.getMessage(), "give the collection another name");
        }
        String what = "milvus collection " + config.database() + "." + collection;
        boolean exists = database && client.hasCollection(HasCollectionReq.builder()
                .databaseName(config.database()).collectionName(collection).build());
        Integer declared = null;
        if (exists) {
            declared = MilvusSchema.dimension(client.describeCollection(DescribeCollectionReq.builder()
                    .databaseName(config.database()).collectionName(collection).build()).getCollectionSchema(),
                    MilvusSchema.EMBEDDING);
        }
        return StoreDimensions.existing(check, what, exists, declared, dimension,
                "drop the collections " + collection + " and " + MilvusSchema.tombstones(collection));
    }
}
