package io.vectorsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundWriterTest {

    @Test
    void anErrorOnTheWriterThreadFailsCloseWithTheErrorAsCause() throws InterruptedException {
        CountDownLatch failed = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BackgroundWriter writer = BackgroundWriter.start("rows", Duration.ZERO, () -> {
            if (calls.incrementAndGet() == 3) {
                failed.countDown();
                throw new SQLException("duplicate key value violates unique constraint");
            }
        });
        assertThat(failed.await(30, TimeUnit.SECONDS)).as("the step failed").isTrue();

        assertThatThrownBy(writer::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("background writer 'rows' failed after 2 writes")
                .hasCauseInstanceOf(SQLException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void anErrorAlsoFailsResumeAndCheck() throws InterruptedException {
        CountDownLatch failed = new CountDownLatch(1);
        BackgroundWriter writer = BackgroundWriter.start("rows", Duration.ZERO, () -> {
            failed.countDown();
            throw new IllegalStateException("source gone");
        });
        assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.awaitFinished(Duration.ofSeconds(30))).as("the writer stopped on its error").isTrue();
        assertThatThrownBy(writer::pause).isInstanceOf(AssertionError.class).hasMessageContaining("source gone");
        assertThatThrownBy(writer::check).isInstanceOf(AssertionError.class);
        assertThatThrownBy(writer::close).isInstanceOf(AssertionError.class);
    }

    @Test
    void stopsAfterItsLastWriteAndClosesCleanly() throws InterruptedException {
        CountDownLatch fifth = new CountDownLatch(5);
        AtomicInteger calls = new AtomicInteger();
        BackgroundWriter writer = BackgroundWriter.start("bounded", Duration.ZERO, 5, () -> {
            calls.incrementAndGet();
            fifth.countDown();
        });
        assertThat(fifth.await(30, TimeUnit.SECONDS)).isTrue();
        writer.close();
        assertThat(calls).hasValue(5);
        assertThat(writer.writes()).isEqualTo(5);
        assertThat(writer.finished()).isTrue();
    }
}
