package io.vectorsync.core.mode;

import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.config.Migration;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.core.model.StorageMode.StoreRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Decides a mode request against the applied statuses: all of it or none of it. No I/O except through the gate;
 * the mode controller applies what this returns.
 */
public final class ModeDecider {
    private final MappingConfig mappings;
    private final Map<String, Migration> migrations;
    private final List<String> collections;
    private final CutoverGate gate;
    private final LongSupplier clock;

    /** @param clock epoch milliseconds */
    public ModeDecider(MappingConfig mappings, CutoverGate gate, LongSupplier clock) {
        this.mappings = mappings;
        this.migrations = mappings.migrations();
        this.collections = mappings.collections().stream().map(CollectionMapping::name).sorted().toList();
        this.gate = gate;
        this.clock = clock;
    }

    /**
     * @param outcome   the answer, for the status topic
     * @param changed   the new statuses of the collections the request moved (empty unless applied)
     * @param backfills the backfills to start
     */
    public record Decision(RequestOutcome outcome, List<ModeStatus> changed, List<BackfillRequest> backfills) {
    }

    /** The status of every migrating collection, with {@link ModeStatus#initial} where none was applied yet. */
    public Map<String, ModeStatus> withInitial(Map<String, ModeStatus> applied) {
        Map<String, ModeStatus> all = new TreeMap<>(applied);
        long now = clock.getAsLong();
        migrations.forEach((c, m) -> all.putIfAbsent(c, ModeStatus.initial(c, m, now)));
        return all;
    }

    /** The answer to a message that is not a request at all. */
    public RequestOutcome unreadable(String requestId, List<String> problems, long newestEpoch) {
        return new RequestOutcome(requestId, RequestOutcome.Result.REFUSED, null, null, null, newestEpoch, false,
                problems, List.of(), clock.getAsLong());
    }

    /** The refusal of a request that could not be decided, e.g. because the gate failed. */
    public RequestOutcome undecidable(ModeRequest request, String reason, long newestEpoch) {
        return outcome(request, request.dryRun() ? RequestOutcome.Result.WOULD_REFUSE : RequestOutcome.Result.REFUSED,
                newestEpoch, false, List.of(reason), List.of(), clock.getAsLong());
    }

    public Decision decide(ModeRequest request, Map<String, ModeStatus> applied) {
        Map<String, ModeStatus> current = withInitial(applied);
        long newest = current.values().stream().mapToLong(ModeStatus::epoch).max().orElse(0);
        List<String> reasons = new ArrayList<>();
        List<String> overridden = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        List<String> targets = targets(request, reasons);
        if (request.epoch() != null && request.epoch() > newest) {
            reasons.add("epoch " + request.epoch() + " is newer than the newest applied epoch " + newest);
        }
        for (String c : targets) {
            ModeStatus status = current.get(c);
            String prefix = targets.size() > 1 ? c + ": " : "";
            if (request.epoch() != null && status.epoch() > request.epoch()) {
                reasons.add(prefix + "stale request: it was made at epoch " + request.epoch() + ", but " + c
                        + " changed to " + status.mode() + " at epoch " + status.epoch());
                continue;
            }
            Optional<String> illegal = ModeTransitions.refusal(status.mode(), request.mode());
            if (illegal.isPresent()) {
                reasons.add(prefix + illegal.get());
                continue;
            }
            if (request.mode().reads() == StoreRole.LEGACY && status.backfill() != null
                    && status.backfill().store() == StoreRole.LEGACY && status.backfill().running()) {
                reasons.add(prefix + "the legacy store " + status.legacy() + " is still being backfilled ("
                        + status.backfill().describe() + "); reads can move back to it once that finishes");
            }
            if (ModeTransitions.gated(status.mode(), request.mode())) {
                GateVerdict verdict = gate.check(status);
                List<String> failures = verdict.failures().stream().map(f -> prefix + "cutover gate closed: " + f)
                        .toList();
                (request.force() ? overridden : reasons).addAll(failures);
            } else if (ModeTransitions.refilledLegacyTakesReads(status, request.mode())) {
                GateVerdict verdict = gate.checkLegacy(status);
                List<String> failures = verdict.failures().stream().map(f -> prefix + "rollback gate closed: " + f)
                        .toList();
                (request.force() ? overridden : reasons).addAll(failures);
            }
        }
        long now = clock.getAsLong();
        if (!reasons.isEmpty()) {
            RequestOutcome outcome = outcome(request, request.dryRun() ? RequestOutcome.Result.WOULD_REFUSE
                    : RequestOutcome.Result.REFUSED, newest, false, reasons, List.of(), now);
            List<ModeStatus> touched = request.dryRun() ? List.of()
                    : targets.stream().map(c -> current.get(c).withLastRequest(outcome)).toList();
            return new Decision(outcome, touched, List.of());
        }
        long epoch = newest + 1;
        List<ModeStatus> changed = new ArrayList<>();
        List<BackfillRequest> backfills = new ArrayList<>();
        for (String c : targets) {
            ModeStatus status = current.get(c);
            StorageMode to = request.mode();
            actions.add(c + ": " + status.mode() + " -> " + to + "; writes to " + writes(status, to) + ", reads from "
                    + status.store(to.reads()));
            Backfill backfill = status.backfill() != null && to.writes(status.backfill().store())
                    ? status.backfill() : null;
            Optional<StoreRole> fill = ModeTransitions.backfills(status.mode(), to);
            if (fill.isPresent()) {
                String id = c + "-" + epoch;
                backfill = Backfill.started(id, fill.get(), status.store(fill.get()), now);
                backfills.add(backfill.request(c, table(c)));
                actions.add(c + ": backfill of the " + fill.get().id() + " store " + status.store(fill.get())
                        + " starts");
            }
            changed.add(new ModeStatus(c, to, epoch, status.legacy(), status.target(), now, request.requestedBy(),
                    request.reason(), !overridden.isEmpty(), backfill, null));
        }
        RequestOutcome outcome = outcome(request, request.dryRun() ? RequestOutcome.Result.WOULD_APPLY
                : RequestOutcome.Result.APPLIED, request.dryRun() ? newest : epoch, !overridden.isEmpty(), overridden,
                actions, now);
        if (request.dryRun()) {
            return new Decision(outcome, List.of(), List.of());
        }
        return new Decision(outcome, changed.stream().map(s -> s.withLastRequest(outcome)).toList(), backfills);
    }

    private List<String> targets(ModeRequest request, List<String> reasons) {
        if (request.forAll()) {
            if (migrations.isEmpty()) {
                reasons.add("no collection declares a legacy and a target store (collections.<name>.legacy and"
                        + " .target)");
            }
            return List.copyOf(migrations.keySet());
        }
        String c = request.collection();
        if (migrations.containsKey(c)) {
            return List.of(c);
        }
        if (collections.contains(c)) {
            reasons.add("collection '" + c + "' does not migrate: set collections." + c + ".legacy and collections."
                    + c + ".target");
        } else {
            reasons.add("unknown collection '" + c + "'; known: "
                    + (collections.isEmpty() ? "none" : String.join(", ", collections)) + ", or " + ModeRequest.ALL);
        }
        return List.of();
    }

    private String table(String collection) {
        return mappings.collection(collection).map(m -> m.table().toString()).orElseThrow();
    }

    private static String writes(ModeStatus status, StorageMode to) {
        List<String> out = new ArrayList<>();
        for (StoreRole role : StoreRole.values()) {
            to.delivery(role).ifPresent(d -> out.add(status.store(role) + " (" + d.id().replace('_', ' ') + ")"));
        }
        return String.join(" + ", out);
    }

    private static RequestOutcome outcome(ModeRequest r, RequestOutcome.Result result, long epoch, boolean forced,
                                          List<String> reasons, List<String> actions, long now) {
        return new RequestOutcome(r.requestId(), result, r.collection(), r.mode(), r.requestedBy(), epoch, forced,
                reasons, actions, now);
    }
}
