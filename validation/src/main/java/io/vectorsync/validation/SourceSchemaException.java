package io.vectorsync.validation;

/** The source table does not fit the collection mapping (no such table, a mapped column missing). */
public class SourceSchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SourceSchemaException(String message) {
        super(message);
    }
}
