package io.vectorsync.migration.mode;

/** What the mode controller emits: a status-topic value or a backfill request, already as JSON. */
record ModeOutput(Kind kind, String json) {

    enum Kind { STATUS, BACKFILL }

    static ModeOutput status(String json) {
        return new ModeOutput(Kind.STATUS, json);
    }

    static ModeOutput backfill(String json) {
        return new ModeOutput(Kind.BACKFILL, json);
    }
}
