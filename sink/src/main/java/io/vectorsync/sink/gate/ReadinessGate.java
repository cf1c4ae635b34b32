package io.vectorsync.sink.gate;

import io.vectorsync.core.Topics;
import io.vectorsync.core.mode.Backfill;
import io.vectorsync.core.mode.CutoverGate;
import io.vectorsync.core.mode.GateVerdict;
import io.vectorsync.core.mode.GateVerdict.Condition;
import io.vectorsync.core.mode.ModeStatus;
import io.vectorsync.core.model.SinkName;
import io.vectorsync.core.model.StorageMode.StoreRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The cutover gate on what the sinks can tell: the target store's sink has caught up with its topic (consumer lag
 * in records) and the target's backfill has completed, so the target holds every row before it starts serving
 * reads. Never throws: a condition it cannot check fails, saying why.
 */
public final class ReadinessGate implements CutoverGate {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessGate.class);
    static final String COMPLETED = Backfill.State.COMPLETED.name();

    private final GateConfig config;
    private final Topics topics;
    private final ConsumerLag lag;

    public ReadinessGate(GateConfig config, Topics topics, ConsumerLag lag) {
        this.config = config;
        this.topics = topics;
        this.lag = lag;
    }

    @Override
    public GateVerdict check(ModeStatus status) {
        GateVerdict verdict = GateVerdict.of(List.of(consumerLag(status.target()), backfill(status)));
        LOG.debug("cutover gate for {}: open {}, {}", status.collection(), verdict.open(), verdict.conditions());
        return verdict;
    }

    private Condition consumerLag(SinkName target) {
        String name = "target consumer lag (" + target + ")";
        String threshold = records(config.maxConsumerLag());
        try {
            long behind = lag.records(topics.sinkGroup(target), topics.sink(target));
            return new Condition(name, behind <= config.maxConsumerLag(), records(behind), threshold);
        } catch (LagUnknownException | RuntimeException e) {
            // The gate is asked on the mode controller's thread: a refusal with a reason, never an exception.
            return new Condition(name, false, "unknown: " + e.getMessage(), threshold);
        }
    }

    private static Condition backfill(ModeStatus status) {
        String name = "target backfill (" + status.target() + ")";
        Backfill b = status.backfill();
        if (b == null || b.store() != StoreRole.TARGET) {
            return new Condition(name, false, "no backfill of the target has completed", COMPLETED);
        }
        return new Condition(name, b.state() == Backfill.State.COMPLETED, "backfill " + b.id() + ": " + b.describe(),
                COMPLETED);
    }

    private static String records(long n) {
        return n + (n == 1 ? " record" : " records");
    }
}
