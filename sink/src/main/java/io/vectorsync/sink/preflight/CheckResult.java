package io.vectorsync.sink.preflight;

import io.vectorsync.core.config.SecretMask;

import java.util.Objects;

/**
 * One row of the preflight table: what was checked, how it went, what was found and, unless it went well, what to do.
 *
 * @param check  stable name of the check, {@code <group>.<what>} with {@code :<subject>} for one collection, e.g.
 *               {@code pgvector.table:articles}
 * @param detail what was found, naming servers, tables and values (never a secret)
 * @param fix    what to do about it; null exactly when the status is {@link Status#OK}
 */
public record CheckResult(String check, Status status, String detail, String fix) {

    /** How a check went. A run with any {@link #FAIL} exits non-zero. */
    public enum Status {
        /** Ready. */
        OK,
        /** Start-up will work, but something is worth a look (often: not there yet, vectorsync creates it). */
        WARN,
        /** Start-up, or some part of the pipeline, will fail until this is fixed. */
        FAIL
    }

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        // The invariant keeps every WARN and FAIL actionable and keeps OK rows free of noise.
        if (status == Status.OK && fix != null) {
            throw new IllegalArgumentException("check " + check + " is OK but has a fix: " + fix);
        }
        if (status != Status.OK && (fix == null || fix.isBlank())) {
            throw new IllegalArgumentException("check " + check + " is " + status + " but says nothing to do");
        }
    }

    public static CheckResult ok(String check, String detail) {
        return new CheckResult(check, Status.OK, detail, null);
    }

    public static CheckResult warn(String check, String detail, String fix) {
        return new CheckResult(check, Status.WARN, detail, fix);
    }

    public static CheckResult fail(String check, String detail, String fix) {
        return new CheckResult(check, Status.FAIL, detail, fix);
    }

    /** The same row with its texts passed through {@code mask}. */
    public CheckResult masked(SecretMask mask) {
        return new CheckResult(check, status, mask.apply(detail), fix == null ? null : mask.apply(fix));
    }
}
