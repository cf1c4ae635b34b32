package io.vectorsync.validation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void rendersDoneTotalPercentAndRate() {
        assertThat(ProgressBar.render("validate docs", 50, 200, "rows", 12.4))
                .isEqualTo("validate docs [######------------------] 50/200 rows 25% 12 rows/s");
        assertThat(ProgressBar.render("validate docs", 300, 200, "rows", 0))
                .startsWith("validate docs [########################] 300/200 rows 100%");
        assertThat(ProgressBar.render("orphans", 7, -1, "ids", 1)).isEqualTo("orphans 7 ids 1 ids/s");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlace() {
        ProgressBar bar = new ProgressBar(out, true, nanos::get);

        bar.start("validate docs", 10, "rows");
        bar.update(5);
        bar.update(10);
        bar.finish();

        String printed = text();
        assertThat(printed.chars().filter(c -> c == '\r').count()).isEqualTo(4);
        assertThat(printed).contains("5/10 rows 50%").contains("10/10 rows 100%").endsWith(System.lineSeparator());
        assertThat(printed.chars().filter(c -> c == '\n').count()).as("one line, ended once").isEqualTo(1);
    }

    @Test
    void aResumedStepCountsItsRateFromWhereItResumed() {
        ProgressBar bar = new ProgressBar(out, false, nanos::get);

        bar.start("validate docs", 100, "rows", 60);
        nanos.addAndGet(10_000_000_000L);
        bar.update(80);
        bar.finish();

        assertThat(text().lines().toList()).containsExactly(
                "validate docs [###################-----] 80/100 rows 80% 2 rows/s",
                "validate docs [###################-----] 80/100 rows 80% 2 rows/s");
    }

    @Test
    void elsewhereALineIsWrittenAtMostEveryFiveSecondsAndOnceAtTheEnd() {
        ProgressBar bar = new ProgressBar(out, false, nanos::get);

        bar.start("validate docs", 100, "rows");
        for (int done = 1; done <= 100; done++) {
            nanos.addAndGet(200_000_000L); // 0.2 s per update: 20 s in all
            bar.update(done);
        }
        bar.finish();

        String printed = text();
        assertThat(printed).doesNotContain("\r");
        // One line per 5 s of updates (4), and the final one.
        assertThat(printed.lines().toList()).hasSize(5).last().asString().contains("100/100 rows 100%");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
