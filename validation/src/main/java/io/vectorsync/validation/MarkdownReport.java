package io.vectorsync.validation;

import java.util.List;
import java.util.Locale;

/** The report as Markdown: a table of counts per collection, then the differing ids of each store by kind. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(ValidationReport report) {
        StringBuilder md = new StringBuilder("# Validation report\n\n");
        md.append("Run `").append(report.runId()).append("`: ")
                .append(report.full() ? "full scan (orphans included)" : "sample of " + report.sampleSize()
                        + " rows per collection (no orphan pass)")
                .append(", started ").append(report.startedAt()).append(", finished ").append(report.finishedAt())
                .append(". Vectors drift when their cosine distance to a fresh embedding exceeds ")
                .append(report.driftMax()).append(". ")
                .append(report.clean() ? "**Every store matches the source.**" : "**Differences found.**")
                .append("\n");
        for (CollectionReport c : report.collections()) {
            collection(md, c, report.recheckDelayMs());
        }
        return md.toString();
    }

    private static void collection(StringBuilder md, CollectionReport c, long recheckDelayMs) {
        md.append("\n## ").append(c.collection()).append(" (").append(c.table()).append(")\n\n");
        md.append("| store | checked | matched | match rate | missing | orphaned | stale | drifted |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StoreReport s : c.stores()) {
            md.append("| ").append(s.store().id()).append(" | ").append(s.checked()).append(" | ")
                    .append(s.matched()).append(" | ").append(percent(s.matchRate())).append(" | ")
                    .append(s.missing()).append(" | ").append(s.orphaned()).append(" | ").append(s.stale())
                    .append(" | ").append(s.drifted()).append(" |\n");
        }
        md.append('\n');
        if (c.rechecked() > 0) {
            md.append("Differing documents were read again after ").append(recheckDelayMs).append(" ms: ")
                    .append(c.rechecked()).append(" re-checked, ").append(c.resolvedOnRecheck())
                    .append(" matched on the second look (changes still on their way) and are not reported.\n\n");
        }
        for (StoreReport s : c.stores()) {
            if (s.clean()) {
                md.append("- **").append(s.store().id()).append("**: matches the source.\n");
                continue;
            }
            md.append("- **").append(s.store().id()).append("**:\n");
            for (DifferenceKind kind : DifferenceKind.values()) {
                List<String> keys = s.keys(kind);
                if (!keys.isEmpty()) {
                    md.append("  - ").append(kind.id()).append(" (").append(keys.size()).append("): ");
                    for (int i = 0; i < keys.size(); i++) {
                        md.append(i == 0 ? "" : ", ").append(code(keys.get(i)));
                    }
                    md.append('\n');
                }
            }
        }
    }

    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    /** A code span that holds any id, backticks included. */
    static String code(String text) {
        String fence = text.contains("`") ? "``" : "`";
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }
}
