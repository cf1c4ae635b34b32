package io.vectorsync.store.neo4j;

import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver of one sink or reader. The driver keeps a pool and connects lazily, on first use and again after the
 * server went away, so nothing here has to be reopened after a failure.
 *
 * <p>Every call is bounded by {@code sink.neo4j.timeout.ms}: the driver bounds connecting and the server bounds each
 * transaction, but the driver has no read timeout on an open connection, so a server that stops answering would
 * block the caller forever. {@link #call} therefore runs the work on a thread of its own and gives up on it when
 * the server has not answered for a second past the timeout: that thread is interrupted, on which the driver closes
 * its connection. A long transaction of many statements (each answered in time) is bounded by the server instead.
 */
final class Neo4jConnection implements AutoCloseable {
    /** Idle pooled connections older than this are checked before use, so a restarted server costs no failure. */
    private static final long LIVENESS_CHECK_SECONDS = 10;
    /** The watchdog's margin past the timeout, so the server's own transaction timeout answers first. */
    static final long WATCHDOG_MARGIN_MS = 1_000;

    /** Work done in a session of its own; it calls {@code answered} each time the server answered a statement. */
    @FunctionalInterface
    interface Work<T> {
        T run(Session session, Runnable answered) throws InterruptedException;
    }

    private final Neo4jSinkConfig config;
    private final Driver driver;
    private final SessionConfig session;
    private final TransactionConfig transaction;
    private final ExecutorService calls;

    /** @param userAgent shown by {@code SHOW TRANSACTIONS}, so operators can tell writers from readers */
    Neo4jConnection(Neo4jSinkConfig config, String userAgent) {
        this.config = config;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.timeoutMs());
        AuthToken auth = config.password().isEmpty() ? AuthTokens.none()
                : AuthTokens.basic(config.user(), config.password());
        Config driverConfig = Config.builder()
                .withUserAgent(userAgent)
                .withConnectionTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .withConnectionLivenessCheckTimeout(LIVENESS_CHECK_SECONDS, TimeUnit.SECONDS)
                .build();
        this.driver = GraphDatabase.driver(config.uri(), auth, driverConfig);
        this.session = SessionConfig.forDatabase(config.database());
        this.transaction = TransactionConfig.builder().withTimeout(config.timeout()).build();
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, userAgent + "-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code work} in a new session and returns its result, or fails with a {@link ServiceUnavailableException}
     * when the server has not answered for {@link #WATCHDOG_MARGIN_MS} past the timeout (it hangs).
     *
     * @throws org.neo4j.driver.exceptions.Neo4jException as the work throws it
     */
    <T> T call(Work<T> work) throws InterruptedException {
        AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
        Future<T> result = calls.submit(() -> {
            try (Session s = driver.session(session)) {
                return work.run(s, () -> lastAnswer.set(System.nanoTime()));
            }
        });
        long bound = TimeUnit.MILLISECONDS.toNanos(config.timeoutMs() + WATCHDOG_MARGIN_MS);
        try {
            while (true) {
                long left = lastAnswer.get() + bound - System.nanoTime();
                if (left <= 0) {
                    result.cancel(true);
                    throw new ServiceUnavailableException("Neo4j at " + config.uri() + " did not answer within "
                            + config.timeoutMs() + " ms (sink.neo4j.timeout.ms)");
                }
                try {
                    return result.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the server answered meanwhile, so the bound moved on: wait again
                }
            }
        } catch (InterruptedException e) {
            result.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof InterruptedException) {
                throw new ServiceUnavailableException("a call to Neo4j at " + config.uri() + " was interrupted");
            }
            throw new IllegalStateException("a call to Neo4j failed: " + cause, cause);
        }
    }

    /** Bounds every transaction by {@code sink.neo4j.timeout.ms} on the server. */
    TransactionConfig transaction() {
        return transaction;
    }

    String uri() {
        return config.uri();
    }

    @Override
    public void close() {
        calls.shutdownNow();
        driver.close();
    }
}
