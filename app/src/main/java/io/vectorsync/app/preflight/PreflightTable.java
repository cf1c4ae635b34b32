package io.vectorsync.app.preflight;

import io.vectorsync.sink.preflight.CheckResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a report as one plain-text table, columns CHECK, STATUS, DETAIL and FIX, then a summary line. DETAIL and FIX
 * wrap at word boundaries to their widths, so a long driver message never makes the table unreadable; CHECK and
 * STATUS are never wrapped, which keeps each row greppable by its check name.
 */
public final class PreflightTable {
    static final int DETAIL_WIDTH = 64;
    static final int FIX_WIDTH = 48;
    private static final String GAP = "  ";
    private static final String[] HEADERS = {"CHECK", "STATUS", "DETAIL", "FIX"};

    private final int detailWidth;
    private final int fixWidth;

    public PreflightTable() {
        this(DETAIL_WIDTH, FIX_WIDTH);
    }

    /** @param detailWidth most characters of a DETAIL line; {@code fixWidth} the same for FIX */
    public PreflightTable(int detailWidth, int fixWidth) {
        if (detailWidth < HEADERS[2].length() || fixWidth < HEADERS[3].length()) {
            throw new IllegalArgumentException("columns must be at least as wide as their headers, were "
                    + detailWidth + " and " + fixWidth);
        }
        this.detailWidth = detailWidth;
        this.fixWidth = fixWidth;
    }

    public String render(PreflightReport report) {
        List<CheckResult> rows = report.results();
        int checkWidth = HEADERS[0].length();
        int statusWidth = HEADERS[1].length();
        int detail = HEADERS[2].length();
        int fix = HEADERS[3].length();
        for (CheckResult r : rows) {
            checkWidth = Math.max(checkWidth, r.check().length());
            statusWidth = Math.max(statusWidth, r.status().name().length());
            detail = Math.max(detail, Math.min(detailWidth, longestLine(wrap(r.detail(), detailWidth))));
            fix = Math.max(fix, Math.min(fixWidth, longestLine(wrap(text(r.fix()), fixWidth))));
        }
        int[] widths = {checkWidth, statusWidth, detail, fix};
        StringBuilder out = new StringBuilder();
        line(out, widths, HEADERS);
        for (CheckResult r : rows) {
            List<String> details = wrap(r.detail(), detailWidth);
            List<String> fixes = wrap(text(r.fix()), fixWidth);
            for (int i = 0; i < Math.max(details.size(), fixes.size()); i++) {
                line(out, widths, i == 0 ? r.check() : "", i == 0 ? r.status().name() : "",
                        i < details.size() ? details.get(i) : "", i < fixes.size() ? fixes.get(i) : "");
            }
        }
        out.append(report.summary()).append(System.lineSeparator());
        return out.toString();
    }

    private static void line(StringBuilder out, int[] widths, String... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            line.append(cells[i]).append(" ".repeat(Math.max(0, widths[i] - cells[i].length())));
        }
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }

    /** Splits text into lines of at most {@code width}, at spaces; a word longer than that is cut. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            while (word.length() > width) {
                if (!current.isEmpty()) {
                    lines.add(current.toString());
                    current.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (word.isEmpty()) {
                continue;
            }
            if (!current.isEmpty() && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current.setLength(0);
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(word);
        }
        if (!current.isEmpty() || lines.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static int longestLine(List<String> lines) {
        return lines.stream().mapToInt(String::length).max().orElse(0);
    }

    private static String text(String fix) {
        return fix == null ? "" : fix;
    }
}
