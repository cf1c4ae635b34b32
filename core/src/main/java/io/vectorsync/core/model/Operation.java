package io.vectorsync.core.model;

/** Debezium's change operation codes. */
public enum Operation {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    /** A row read by a snapshot. */
    READ("r"),
    /** The whole table emptied by TRUNCATE: no key, no rows, only the table and the LSN. */
    TRUNCATE("t");

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException for any code Debezium does not define, never a silent default */
    public static Operation fromCode(String code) {
        for (Operation op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown change operation '" + code + "', expected one of c, u, d, r, t");
    }
}
