package io.vectorsync.core;

import java.util.Locale;

/** Counts and sizes as people read them, the same in gate verdicts, the CLI and logs. */
public final class Quantities {
    private Quantities() {
    }

    /** {@code 1 record}, {@code 12 records}. */
    public static String records(long n) {
        return n + (n == 1 ? " record" : " records");
    }

    /** {@code 512 B}, {@code 4.0 KiB}, {@code 64.0 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
