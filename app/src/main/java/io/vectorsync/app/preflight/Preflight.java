package io.vectorsync.app.preflight;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.SecretMask;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.Failures;
import io.vectorsync.sink.preflight.PreflightCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every check group at once, each on its own thread, and collects their rows in group order. A group that
 * throws or runs out of time becomes one FAIL row and never stops the others, so one run reports everything that is
 * wrong. Rows are masked before they leave.
 */
public final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private final List<PreflightCheck> checks;
    private final SecretMask mask;

    public Preflight(List<PreflightCheck> checks, SecretMask mask) {
        this.checks = List.copyOf(checks);
        this.mask = mask;
    }

    /**
     * The checks a configuration needs: Kafka, the source, each store some collection writes to (its sinks, or its
     * legacy and target), and the embedding model.
     *
     * @param callTimeout bound of each connection and call to a server; a server's group gets
     *                    {@value PreflightCheck#CALLS_PER_GROUP} times this
     */
    public static Preflight of(AppConfig config, Duration callTimeout) {
        Set<SinkName> stores = stores(config);
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(new KafkaCheck(config.kafka(), config.mappings(), callTimeout));
        checks.add(new SourceCheck(config.source(), config.mappings(), callTimeout));
        for (SinkName store : stores) {
            checks.add(config.store(store).preflight(collections(config, store), config.embedding().dimension(),
                    callTimeout));
        }
        checks.add(new EmbeddingCheck(config.embedding(), stores.stream().map(config::store).toList()));
        return new Preflight(checks, config.secretMask());
    }

    /** Every store some collection writes to. */
    static Set<SinkName> stores(AppConfig config) {
        return config.storesInUse();
    }

    private static List<String> collections(AppConfig config, SinkName store) {
        return config.mappings().collections().stream().filter(c -> c.sinks().contains(store))
                .map(CollectionMapping::name).toList();
    }

    public PreflightReport run() {
        AtomicInteger threads = new AtomicInteger();
        // Daemon threads: a group stuck in a call that ignores interrupts must not keep the CLI from exiting.
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, checks.size()), r -> {
            Thread t = new Thread(r, "preflight-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<CheckResult>>> futures = new ArrayList<>();
            for (PreflightCheck check : checks) {
                futures.add(executor.submit(check::run));
            }
            long start = System.nanoTime();
            List<CheckResult> rows = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                long deadline = start + checks.get(i).timeout().toNanos();
                collect(checks.get(i), futures.get(i), deadline).forEach(r -> rows.add(r.masked(mask)));
            }
            return new PreflightReport(rows);
        } finally {
            executor.shutdownNow();
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private List<CheckResult> collect(PreflightCheck check, Future<List<CheckResult>> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return List.of(CheckResult.fail(check.group(), check.target() + " did not answer within "
                            + describe(check.timeout()) + "; its remaining checks did not run",
                    "check that " + check.target() + " is up and reachable from here, or allow more time with"
                            + " --timeout"));
        } catch (ExecutionException e) {
            LOG.debug("preflight group {} broke", check.group(), e.getCause());
            return List.of(CheckResult.fail(check.group(), "checking " + check.target() + " broke: "
                    + Failures.describe(e.getCause()), "fix what the message says and run preflight again"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return List.of(CheckResult.fail(check.group(), "interrupted before " + check.target() + " was checked",
                    "run preflight again"));
        }
    }
}
