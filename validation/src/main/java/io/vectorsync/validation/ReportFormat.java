package io.vectorsync.validation;

/** How the report is written. */
public enum ReportFormat {
    /** Tables and key lists, for people. */
    MARKDOWN,
    /** Stable snake_case fields ({@link ValidationReport}), for programs. */
    JSON;

    public String render(ValidationReport report) {
        return switch (this) {
            case MARKDOWN -> MarkdownReport.render(report);
            case JSON -> JsonReport.render(report);
        };
    }
}
