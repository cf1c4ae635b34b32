package io.vectorsync.app.preflight;

import io.vectorsync.core.config.SecretMask;
import io.vectorsync.sink.preflight.CheckResult.Status;
import io.vectorsync.sink.preflight.CheckResult;
import io.vectorsync.sink.preflight.PreflightCheck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The runner: every group runs, a broken or hung group costs one FAIL row, rows come masked and in group order. */
class PreflightTest {
    private static final SecretMask NO_SECRETS = new SecretMask(List.of());

    /** A group made of a function, for tests. */
    private record Group(String group, Duration timeout, Body body) implements PreflightCheck {
        interface Body {
            List<CheckResult> run() throws Exception;
        }

        Group(String group, Body body) {
            this(group, Duration.ofSeconds(30), body);
        }

        @Override
        public String target() {
            return "the " + group + " server";
        }

        @Override
        public List<CheckResult> run() throws Exception {
            return body.run();
        }
    }

    @Test
    void rowsComeInGroupOrderWhateverOrderTheGroupsFinishIn() {
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        Group first = new Group("first", () -> {
            firstMayFinish.await();
            return List.of(CheckResult.ok("first.a", "x"), CheckResult.ok("first.b", "x"));
        });
        Group second = new Group("second", () -> {
            firstMayFinish.countDown();
            return List.of(CheckResult.warn("second.a", "x", "y"));
        });

        PreflightReport report = new Preflight(List.of(first, second), NO_SECRETS).run();

        assertThat(report.results()).extracting(CheckResult::check).containsExactly("first.a", "first.b", "second.a");
        assertThat(report.passed()).isTrue();
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void aGroupThatThrowsIsOneFailRowAndTheOthersStillRun() {
        Group broken = new Group("neo4j", () -> {
            throw new IllegalStateException("outer", new RuntimeException("Connection reset by peer"));
        });
        Group fine = new Group("kafka", () -> List.of(CheckResult.ok("kafka.reachable", "1 broker")));

        PreflightReport report = new Preflight(List.of(broken, fine), NO_SECRETS).run();

        assertThat(report.results()).hasSize(2);
        CheckResult failed = report.results().get(0);
        assertThat(failed.check()).isEqualTo("neo4j");
        assertThat(failed.status()).isEqualTo(Status.FAIL);
        assertThat(failed.detail()).contains("the neo4j server").contains("Connection reset by peer");
        assertThat(failed.fix()).isNotBlank();
        assertThat(report.results().get(1).check()).isEqualTo("kafka.reachable");
        assertThat(report.exitCode()).isEqualTo(PreflightReport.FAILED);
    }

    @Test
    void aGroupThatNeverAnswersIsCutOffAndNamedWithWhatToDo() {
        CountDownLatch never = new CountDownLatch(1);
        Group hung = new Group("milvus", Duration.ofMillis(300), () -> {
            never.await();
            return List.of(CheckResult.ok("milvus.health", "never"));
        });
        Group fine = new Group("source", () -> List.of(CheckResult.ok("source.reachable", "PostgreSQL 15")));

        PreflightReport report = new Preflight(List.of(hung, fine), NO_SECRETS).run();

        assertThat(report.results()).extracting(CheckResult::check).containsExactly("milvus", "source.reachable");
        CheckResult cut = report.results().get(0);
        assertThat(cut.status()).isEqualTo(Status.FAIL);
        assertThat(cut.detail()).contains("the milvus server did not answer within 300 ms");
        assertThat(cut.fix()).contains("the milvus server").contains("--timeout");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void eachGroupHasItsOwnTimeSoASlowModelOutlivesAHungServersCutOff() {
        CountDownLatch serverCutOff = new CountDownLatch(1);
        Group hung = new Group("kafka", Duration.ofMillis(200), () -> {
            try {
                new CountDownLatch(1).await();
            } finally {
                // Cancelling the cut-off group interrupts it.
                serverCutOff.countDown();
            }
            return List.of();
        });
        Group slow = new Group("embedding", Duration.ofSeconds(30), () -> {
            serverCutOff.await();
            return List.of(CheckResult.ok("embedding.model", "loaded after the server was given up"));
        });

        PreflightReport report = new Preflight(List.of(hung, slow), NO_SECRETS).run();

        assertThat(report.results()).extracting(CheckResult::check, CheckResult::status)
                .containsExactly(tuple("kafka", Status.FAIL), tuple("embedding.model", Status.OK));
    }

    @Test
    void everyRowIsMaskedBeforeItLeaves() {
        Group leaky = new Group("source", () -> List.of(
                CheckResult.fail("source.reachable", "password authentication failed for s3cret-pw", "use s3cret-pw"),
                CheckResult.ok("source.url", "jdbc:postgresql://h/db?user=u&password=other")));

        PreflightReport report = new Preflight(List.of(leaky), new SecretMask(List.of("s3cret-pw"))).run();

        assertThat(report.results()).extracting(CheckResult::detail)
                .containsExactly("password authentication failed for ****",
                        "jdbc:postgresql://h/db?user=u&password=****");
        assertThat(report.results().get(0).fix()).isEqualTo("use ****");
    }

    @Test
    void warningsAloneStillPassButOneFailDoesNot() {
        PreflightReport warned = new PreflightReport(List.of(CheckResult.ok("a", "x"),
                CheckResult.warn("b", "x", "y")));
        PreflightReport failed = new PreflightReport(List.of(CheckResult.ok("a", "x"), CheckResult.fail("b", "x", "y"),
                CheckResult.warn("c", "x", "y")));

        assertThat(warned.exitCode()).isEqualTo(PreflightReport.PASSED);
        assertThat(failed.exitCode()).isEqualTo(PreflightReport.FAILED);
        assertThat(failed.counts()).containsEntry(Status.OK, 1).containsEntry(Status.WARN, 1)
                .containsEntry(Status.FAIL, 1);
        assertThat(warned.counts()).containsEntry(Status.FAIL, 0);
        assertThat(failed.summary()).isEqualTo("1 OK, 1 WARN, 1 FAIL");
    }

    @Test
    void anOkRowCannotCarryAFixAndAFailingRowMustHaveOne() {
        assertThatThrownBy(() -> new CheckResult("a", Status.OK, "x", "do something"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckResult.fail("a", "x", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckResult.warn("a", "x", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
