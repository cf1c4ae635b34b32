package io.vectorsync.app.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run searches, apart from the ones that answer {@code /health}, {@code /metrics} and the
 * dashboard: a search waits on a store, and a store that hangs must not take the liveness probe down with it. Bounded
 * both ways: at most {@link #THREADS} searches run and {@link #QUEUE} wait; beyond that a search is refused at once.
 */
final class SearchPool implements AutoCloseable {
    static final int THREADS = 4;
    static final int QUEUE = 16;

    private final ThreadPoolExecutor executor;

    SearchPool() {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "vectorsync-search-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code search} on a search thread; false when every thread is busy and the queue is full. */
    boolean offer(Runnable search) {
        try {
            executor.execute(search);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
