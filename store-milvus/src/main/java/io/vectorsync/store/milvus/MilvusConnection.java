package io.vectorsync.store.milvus;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Milvus client, created on first use and again after {@link #discard()}. Every call carries the configured
 * deadline, so a hung server fails the call instead of blocking it; the SDK's own retries are off (by default it
 * retries an unreachable server for minutes), since the caller retries whole batches. Not thread-safe.
 */
final class MilvusConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusConnection.class);
    /**
     * Connecting takes milliseconds when the server is there. The SDK makes every call wait for a connection until
     * its deadline, so while the server is away each retry costs this, not the full call timeout: the client is
     * dropped after a failure and the next attempt connects afresh.
     */
    static final int MAX_CONNECT_TIMEOUT_MS = 5_000;

    private final MilvusSinkConfig config;
    private final String role;
    private MilvusClientV2 client;

    /** @param role who uses the client, for log lines */
    MilvusConnection(MilvusSinkConfig config, String role) {
        this.config = config;
        this.role = role;
    }

    /** @throws RuntimeException from the SDK when the server cannot be reached within the timeout */
    MilvusClientV2 get() {
        if (client != null) {
            return client;
        }
        ConnectConfig.ConnectConfigBuilder connect = ConnectConfig.builder()
                .uri(config.uri())
                .connectTimeoutMs(Math.min(config.timeoutMs(), MAX_CONNECT_TIMEOUT_MS))
                .rpcDeadlineMs(config.timeoutMs());
        if (!config.token().isEmpty()) {
            connect.token(config.token());
        }
        MilvusClientV2 opened = new MilvusClientV2(connect.build());
        opened.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        LOG.info("{} connected to {} (database {}, timeout {} ms)", role, config.safeUri(), config.database(),
                config.timeoutMs());
        client = opened;
        return client;
    }

    /** Closes the client after a failure; the next {@link #get()} connects afresh. */
    void discard() {
        MilvusClientV2 c = client;
        client = null;
        if (c != null) {
            try {
                c.close(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing the client failed: {}", role, MilvusErrors.describe(e));
            }
        }
    }

    @Override
    public void close() {
        discard();
    }
}
