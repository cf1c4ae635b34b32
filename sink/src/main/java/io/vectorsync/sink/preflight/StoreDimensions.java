package io.vectorsync.sink.preflight;

import io.vectorsync.core.config.EmbeddingConfig;

/**
 * Whether what a store already holds for a collection takes the configured vectors: pure, shared by the pgvector,
 * Neo4j and Milvus checks so the three say it alike.
 */
public final class StoreDimensions {
    private static final String DIMENSION = EmbeddingConfig.DIMENSION.name();

    private StoreDimensions() {
    }

    /**
     * @param what       the store's object, as a user would look for it: {@code pgvector table "public"."articles"}
     * @param exists     whether the object exists
     * @param dimension  its vector dimension; null when it exists without a vector field of the sink's (not the
     *                   sink's), 0 or less when its vectors have no declared dimension
     * @param configured {@code embedding.dimension}
     * @param drop       how to drop the object, e.g. {@code DROP TABLE "public"."articles"}
     */
    public static CheckResult existing(String check, String what, boolean exists, Integer dimension, int configured,
                                String drop) {
        String renew = drop + " to have it created again with " + configured + " dimensions (a backfill refills"
                + " it), or give the collection a new name";
        if (!exists) {
            return CheckResult.warn(check, what + " does not exist yet: created at start with " + configured
                    + " dimensions", "none on a first start; otherwise check the collection's name");
        }
        if (dimension == null) {
            return CheckResult.fail(check, what + " exists but has no embedding vector field: it was not created by"
                    + " vectorsync", renew);
        }
        if (dimension != configured) {
            String held = dimension > 0 ? dimension + "-dimensional vectors" : "vectors of no declared dimension";
            return CheckResult.fail(check, what + " holds " + held + " but " + DIMENSION + " is " + configured,
                    renew);
        }
        return CheckResult.ok(check, what + " exists with " + configured + " dimensions, as configured");
    }

    /** Whether a store takes vectors of the configured dimension at all. */
    public static CheckResult limit(String store, int configured, int max, String why) {
        String check = "embedding.dimension:" + store;
        if (configured <= max) {
            return CheckResult.ok(check, store + " takes " + configured + "-dimensional vectors (at most " + max
                    + ")");
        }
        return CheckResult.fail(check, DIMENSION + " is " + configured + " but " + store + " takes at most " + max
                + " dimensions (" + why + ")", "use a model of at most " + max + " dimensions for collections written"
                + " to " + store + ", or write them to another store");
    }
}
