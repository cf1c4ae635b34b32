package io.vectorsync.migration.gate;

import io.vectorsync.core.Topics;
import io.vectorsync.core.kafka.ConsumerLag;
import io.vectorsync.core.kafka.LagUnknownException;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import io.vectorsync.core.validation.ValidationResult;
import io.vectorsync.migration.lag.LagSnapshot;
import io.vectorsync.migration.lag.LagView;
import io.vectorsync.migration.lag.LagWindowStats;
import io.vectorsync.migration.shadow.ShadowSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static io.vectorsync.core.Quantities.bytes;
import static io.vectorsync.core.Quantities.records;

/**
 * The cutover gate: the target store is caught up (end-to-end lag p99 over a sustained window, consumer lag, source
 * slot lag), proven equal to the source (a fresh validation at or above its match rate), agrees with the legacy
 * store on searches (shadow reads) and holds every row (its backfill completed). Every condition is checked and
 * reported with its value and threshold, so one refusal names everything that is wrong. Never throws: a condition
 * it cannot check fails, saying why.
 */
public final class ThresholdCutoverGate implements CutoverGate {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdCutoverGate.class);
    static final String COMPLETED = Backfill.State.COMPLETED.name();

    private final GateConfig config;
    private final Topics topics;
    private final ConsumerLag consumerLag;
    private final LagView lag;
    private final ValidationResults validations;
    private final Function<String, ShadowSummary> shadow;
    private final LongSupplier clock;
    private final RetentionGaps gaps;

    /**
     * @param shadow the recent shadow comparisons of a collection
     * @param clock  epoch milliseconds, for the validation's age
     */
    public ThresholdCutoverGate(GateConfig config, Topics topics, ConsumerLag consumerLag, LagView lag,
                         ValidationResults validations, Function<String, ShadowSummary> shadow, LongSupplier clock) {
        this(config, topics, consumerLag, lag, validations, shadow, clock, RetentionGaps.none());
    }

    /** @param gaps changes of a store's topic that expired before its sink read them */
    public ThresholdCutoverGate(GateConfig config, Topics topics, ConsumerLag consumerLag, LagView lag,
                         ValidationResults validations, Function<String, ShadowSummary> shadow, LongSupplier clock,
                         RetentionGaps gaps) {
        this.gaps = gaps;
        this.config = config;
        this.topics = topics;
        this.consumerLag = consumerLag;
        this.lag = lag;
        this.validations = validations;
        this.shadow = shadow;
        this.clock = clock;
    }

    @Override
    public GateVerdict check(ModeStatus status) {
        return check(status, StoreRole.TARGET);
    }

    /**
     * The same conditions about the legacy store, for a rollback that hands reads back to it after it was refilled:
     * its validation must also have finished after its backfill did, since only a validation (and its repair) finds
     * the rows deleted while it was retired. No shadow condition: shadow reads measure the target.
     */
    @Override
    public GateVerdict checkLegacy(ModeStatus status) {
        return check(status, StoreRole.LEGACY);
    }

    private GateVerdict check(ModeStatus status, StoreRole role) {
        SinkName store = status.store(role);
        String r = role.id();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(guarded(r + " end-to-end lag p99 (" + store + ")", lagThreshold(),
                name -> endToEndLag(name, store)));
        conditions.add(guarded(r + " consumer lag (" + store + ")", records(config.maxConsumerLag()),
                name -> consumerLag(name, store)));
        conditions.add(guarded("source slot lag", bytes(config.maxSlotLagBytes()), name -> slotLag(name, store)));
        conditions.add(guarded(r + " validation (" + store + ")", validationThreshold(role),
                name -> validation(name, status, role)));
        if (role == StoreRole.TARGET && config.shadowMinComparisons() > 0) {
            conditions.add(guarded("shadow agreement (" + store + ")", shadowThreshold(),
                    name -> shadowAgreement(name, status.collection())));
        }
        conditions.add(backfill(status, role));
        conditions.add(guarded(r + " retention (" + store + ")", NOTHING_EXPIRED,
                name -> retention(name, status, role)));
        GateVerdict verdict = GateVerdict.of(conditions);
        LOG.debug("{} gate for {}: open {}, {}", r, status.collection(), verdict.open(), verdict.conditions());
        return verdict;
    }

    @FunctionalInterface
    private interface Check {
        Condition check(String name) throws Exception;
    }

    /** The gate is asked on the mode controller's thread: a failed check is a refusal with a reason, never a throw. */
    private static Condition guarded(String name, String threshold, Check check) {
        try {
            return check.check(name);
        } catch (Exception e) {
            return new Condition(name, false, "unknown: " + e.getMessage(), threshold);
        }
    }

    private String lagThreshold() {
        return "p99 " + duration(config.maxLagP99().toMillis()) + " over " + duration(config.lagWindow().toMillis());
    }

    private Condition endToEndLag(String name, SinkName target) {
        LagWindowStats stats = lag.window(target, config.lagWindow());
        long window = config.lagWindow().toMillis();
        if (stats.samples() == 0) {
            String why = lag.latest(target).map(LagSnapshot::problem).orElse(null);
            return new Condition(name, false, "no lag samples" + (why == null ? " yet" : ": " + why),
                    lagThreshold());
        }
        String value = "p99 " + duration(stats.p99Ms()) + " over " + duration(stats.coveredMs()) + " ("
                + stats.samples() + " samples)";
        // Sustained: the monitor has been measuring since before the window began, so the window holds no gap
        // at its start that a freshly started monitor (or one that could not measure) would leave.
        List<LagSnapshot> history = lag.history(target);
        long measuredFor = history.isEmpty() ? 0 : clock.getAsLong() - history.get(0).atMs();
        if (measuredFor < window) {
            return new Condition(name, false, value + ", measured for only " + duration(Math.max(0, measuredFor))
                    + " of " + duration(window), lagThreshold());
        }
        return new Condition(name, stats.p99Ms() <= config.maxLagP99().toMillis(), value, lagThreshold());
    }

    private Condition consumerLag(String name, SinkName target) throws LagUnknownException {
        long behind = consumerLag.records(topics.sinkGroup(target), topics.sink(target));
        return new Condition(name, behind <= config.maxConsumerLag(), records(behind),
                records(config.maxConsumerLag()));
    }

    private Condition slotLag(String name, SinkName target) {
        String threshold = bytes(config.maxSlotLagBytes());
        Optional<LagSnapshot> latest = lag.latest(target);
        if (latest.isEmpty()) {
            return new Condition(name, false, "not measured yet", threshold);
        }
        long behind = latest.get().slotLagBytes();
        if (behind < 0) {
            return new Condition(name, false, "unknown: " + latest.get().problem(), threshold);
        }
        return new Condition(name, behind <= config.maxSlotLagBytes(), bytes(behind), threshold);
    }

    private String validationThreshold(StoreRole role) {
        return "match " + percent(config.validationMinMatch()) + " within "
                + duration(config.validationMaxAge().toMillis())
                + (role == StoreRole.LEGACY ? ", finished after its backfill" : "");
    }

    private Condition validation(String name, ModeStatus status, StoreRole role) {
        Optional<ValidationResult> found = validations.latest(status.collection(), status.store(role));
        if (found.isEmpty()) {
            return new Condition(name, false, "no validation of the " + role.id() + " has finished",
                    validationThreshold(role));
        }
        ValidationResult v = found.get();
        long age = Math.max(0, clock.getAsLong() - v.finishedAtMs());
        String value = "match " + percent(v.matchRate()) + " of " + v.checked() + " rows ("
                + (v.full() ? "full" : "sample") + ", run " + v.runId() + ") " + duration(age) + " ago";
        boolean passed = v.matchRate() >= config.validationMinMatch() && age <= config.validationMaxAge().toMillis();
        if (role == StoreRole.LEGACY) {
            Backfill b = status.backfill();
            boolean afterRefill = b != null && b.store() == StoreRole.LEGACY && b.finishedAtMs() > 0
                    && v.finishedAtMs() >= b.finishedAtMs();
            if (!afterRefill) {
                value += ", before its backfill finished";
            }
            passed &= afterRefill;
        }
        return new Condition(name, passed, value, validationThreshold(role));
    }

    private String shadowThreshold() {
        return String.format(Locale.ROOT, "overlap %.2f over %d comparisons", config.shadowMinAgreement(),
                config.shadowMinComparisons());
    }

    private Condition shadowAgreement(String name, String collection) {
        ShadowSummary s = shadow.apply(collection);
        if (s == null || s.count() == 0) {
            return new Condition(name, false, "no shadow comparisons", shadowThreshold());
        }
        String value = String.format(Locale.ROOT, "overlap %.2f over %d comparisons", s.meanOverlap(), s.count());
        return new Condition(name, s.count() >= config.shadowMinComparisons()
                && s.meanOverlap() >= config.shadowMinAgreement(), value, shadowThreshold());
    }

    static final String NOTHING_EXPIRED = "no change expired unread, or a backfill or full match since";

    /** Changes the store's sink never read because its topic's retention dropped them: a backfill is needed. */
    private Condition retention(String name, ModeStatus status, StoreRole role) {
        List<String> open = BackfillNeeds.unresolved(gaps.all().stream()
                        .filter(g -> g.collection().equals(status.collection()) && g.store() == status.store(role))
                        .toList(), c -> Optional.of(status), validations).stream()
                .map(g -> g.describe()).toList();
        return new Condition(name, open.isEmpty(), open.isEmpty() ? "no change expired unread"
                : String.join("; ", open), NOTHING_EXPIRED);
    }

    private static Condition backfill(ModeStatus status, StoreRole role) {
        String name = role.id() + " backfill (" + status.store(role) + ")";
        Backfill b = status.backfill();
        if (b == null || b.store() != role) {
            return new Condition(name, false, "no backfill of the " + role.id() + " has completed", COMPLETED);
        }
        return new Condition(name, b.state() == Backfill.State.COMPLETED, "backfill " + b.id() + ": " + b.describe(),
                COMPLETED);
    }

    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }

    static String percent(double share) {
        // Rounded down, so a rate just short of a 100% threshold never prints as 100.00%.
        return String.format(Locale.ROOT, "%.2f%%", Math.floor(share * 10_000) / 100);
    }
}
