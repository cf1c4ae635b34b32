package io.vectorsync.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a migrating collection's writes go and which store serves its reads, in the order a migration moves through
 * them. Rollback is a move to an earlier mode; {@code mode.ModeTransitions} says which moves are allowed.
 */
public enum StorageMode {
    /** Legacy only, before a migration. */
    SOURCE_ONLY(true, false, Delivery.REQUIRED, null, StoreRole.LEGACY),
    /** Legacy must succeed; the target is written best effort while it is backfilled. */
    DUAL_WRITE(true, true, Delivery.REQUIRED, Delivery.BEST_EFFORT, StoreRole.LEGACY),
    /** As {@link #DUAL_WRITE}, and every read is mirrored to the target and compared. */
    SHADOW(true, true, Delivery.REQUIRED, Delivery.BEST_EFFORT, StoreRole.LEGACY),
    /** The target serves reads and must succeed; legacy is still written so a rollback loses nothing. */
    CUTOVER(true, true, Delivery.REQUIRED, Delivery.REQUIRED, StoreRole.TARGET),
    /** Target only: legacy retired. */
    TARGET_ONLY(false, true, null, Delivery.REQUIRED, StoreRole.TARGET);

    private final boolean writesLegacy;
    private final boolean writesTarget;
    private final Delivery legacyDelivery;
    private final Delivery targetDelivery;
    private final StoreRole reads;

    StorageMode(boolean writesLegacy, boolean writesTarget, Delivery legacyDelivery, Delivery targetDelivery,
                StoreRole reads) {
        this.writesLegacy = writesLegacy;
        this.writesTarget = writesTarget;
        this.legacyDelivery = legacyDelivery;
        this.targetDelivery = targetDelivery;
        this.reads = reads;
    }

    /** Whether the store in this role receives writes in this mode. */
    public boolean writes(StoreRole role) {
        return role == StoreRole.LEGACY ? writesLegacy : writesTarget;
    }

    /** How writes to the store in this role are delivered; empty when it receives none. */
    public Optional<Delivery> delivery(StoreRole role) {
        return Optional.ofNullable(role == StoreRole.LEGACY ? legacyDelivery : targetDelivery);
    }

    /** The role of the store that answers reads. */
    public StoreRole reads() {
        return reads;
    }

    /** Whether reads are also run on the other store, off the request path, and compared. */
    public boolean mirrorsReads() {
        return this == SHADOW;
    }

    /** @throws IllegalArgumentException naming the bad value and the valid ones */
    public static StorageMode parse(String text) {
        for (StorageMode m : values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** The two stores of a migration. */
    public enum StoreRole {
        LEGACY, TARGET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a store's failures hold back its sink (retried until it succeeds) or not (retried, then dead-lettered). */
    public enum Delivery {
        REQUIRED, BEST_EFFORT;

        /** The Kafka header on sink-topic records that carries the delivery; absent means {@link #REQUIRED}. */
        public static final String HEADER = "vectorsync.delivery";

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Reads the header value; null or anything unknown counts as {@link #REQUIRED}, the safe side. */
        public static Delivery fromHeader(String value) {
            return "best_effort".equals(value) ? BEST_EFFORT : REQUIRED;
        }
    }
}
