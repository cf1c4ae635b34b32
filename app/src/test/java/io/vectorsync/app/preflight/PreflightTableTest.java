package io.vectorsync.app.preflight;

import io.vectorsync.sink.preflight.CheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightTableTest {
    private static final String NL = System.lineSeparator();

    @Test
    void columnsLineUpUnderTheirHeadersWhateverTheCheckNamesLength() {
        PreflightReport report = new PreflightReport(List.of(
                CheckResult.ok("kafka.reachable", "cluster x: 1 broker"),
                CheckResult.fail("embedding.dimension:pgvector", "too wide", "use a smaller model")));

        List<String> lines = new PreflightTable(40, 30).render(report).lines().toList();

        String header = lines.get(0);
        assertThat(header).startsWith("CHECK").contains("STATUS").contains("DETAIL").endsWith("FIX");
        int status = header.indexOf("STATUS");
        int detail = header.indexOf("DETAIL");
        int fix = header.indexOf("FIX");
        // The widest check name sets the CHECK column, plus the two-space gap.
        assertThat(status).isEqualTo("embedding.dimension:pgvector".length() + 2);
        assertThat(lines.get(1).indexOf("OK")).isEqualTo(status);
        assertThat(lines.get(1).indexOf("cluster x")).isEqualTo(detail);
        assertThat(lines.get(2).indexOf("FAIL")).isEqualTo(status);
        assertThat(lines.get(2).indexOf("too wide")).isEqualTo(detail);
        assertThat(lines.get(2).indexOf("use a smaller model")).isEqualTo(fix);
    }

    @Test
    void okRowsLeaveFixEmptyAndFailingRowsFillIt() {
        PreflightReport report = new PreflightReport(List.of(
                CheckResult.ok("a", "fine"),
                CheckResult.warn("b", "missing", "none on a first start"),
                CheckResult.fail("c", "broken", "repair it")));

        List<String> lines = new PreflightTable().render(report).lines().toList();

        assertThat(lines.get(1)).isEqualTo("a      OK      fine");
        assertThat(lines.get(2)).endsWith("none on a first start").contains("WARN");
        assertThat(lines.get(3)).endsWith("repair it").contains("FAIL");
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void longDetailAndFixWrapWithinTheirWidthsOnContinuationLines() {
        String detail = "publication vectorsync lacks public.articles, public.authors, public.vectorsync_signal";
        String fix = "ALTER PUBLICATION vectorsync ADD TABLE public.articles as their owner";
        PreflightReport report = new PreflightReport(List.of(CheckResult.warn("source.publication", detail, fix),
                CheckResult.ok("source.slot", "ok")));

        List<String> lines = new PreflightTable(30, 20).render(report).lines().toList();

        int detailColumn = lines.get(0).indexOf("DETAIL");
        int fixColumn = lines.get(0).indexOf("FIX");
        assertThat(fixColumn - detailColumn).isLessThanOrEqualTo(30 + 2);
        List<String> rowLines = lines.subList(1, lines.size() - 2);
        assertThat(rowLines).hasSizeGreaterThan(2);
        assertThat(rowLines.get(0)).startsWith("source.publication");
        // Continuation lines leave CHECK and STATUS blank, so the check name appears once.
        assertThat(rowLines.subList(1, rowLines.size())).allSatisfy(l -> assertThat(l.substring(0, detailColumn))
                .isBlank());
        StringBuilder details = new StringBuilder();
        StringBuilder fixes = new StringBuilder();
        for (String l : rowLines) {
            String d = l.substring(detailColumn, Math.min(l.length(), fixColumn)).strip();
            assertThat(d.length()).isLessThanOrEqualTo(30);
            details.append(d.isEmpty() ? "" : d + " ");
            if (l.length() > fixColumn) {
                String f = l.substring(fixColumn);
                assertThat(f.length()).isLessThanOrEqualTo(20);
                fixes.append(f).append(' ');
            }
        }
        assertThat(details.toString().strip()).isEqualTo(detail);
        assertThat(fixes.toString().strip()).isEqualTo(fix);
        assertThat(lines.get(lines.size() - 2)).startsWith("source.slot");
    }

    @Test
    void endsWithTheCountOfEachStatus() {
        PreflightReport report = new PreflightReport(List.of(CheckResult.ok("a", "x"), CheckResult.ok("b", "x"),
                CheckResult.warn("c", "x", "y"), CheckResult.fail("d", "x", "y")));

        String table = new PreflightTable().render(report);

        assertThat(table).endsWith("2 OK, 1 WARN, 1 FAIL" + NL);
    }

    @Test
    void wrapCutsAWordLongerThanTheWidth() {
        assertThat(PreflightTable.wrap("see jdbc:postgresql://host:5432/db now", 10))
                .containsExactly("see", "jdbc:postg", "resql://ho", "st:5432/db", "now");
    }

    @Test
    void wrapKeepsWordsWholeAndGivesOneEmptyLineForNoText() {
        assertThat(PreflightTable.wrap("one two three four", 9)).containsExactly("one two", "three", "four");
        assertThat(PreflightTable.wrap("", 9)).containsExactly("");
    }

    @Test
    void columnsNarrowerThanTheirHeadersAreRefused() {
        assertThatThrownBy(() -> new PreflightTable(3, 20)).isInstanceOf(IllegalArgumentException.class);
    }
}
