package io.vectorsync.sink.runner;

import io.vectorsync.core.model.EnrichedChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Refuses changes whose LSN is more than a margin above the source's current WAL position. A genuine change was
 * committed before the sink read it, so its LSN is at most the position read afterwards; a forged one with a huge
 * LSN would otherwise win every LSN guard and freeze its document forever. The position is read again only when a
 * change claims more than the last one read allows (at most once per batch), so a steady stream costs no query.
 * When the source cannot be asked, changes are let through (a WARN says so): the sink keeps writing while the
 * source is down.
 */
final class FutureLsnCheck {
    private static final Logger LOG = LoggerFactory.getLogger(FutureLsnCheck.class);

    private final SourcePosition source;
    private final long marginBytes;
    private long known = -1;
    private boolean unreadableLogged;

    FutureLsnCheck(SourcePosition source, long marginBytes) {
        this.source = source;
        this.marginBytes = marginBytes;
    }

    /** The changes to refuse, each with its reason; empty for most batches. */
    List<Refused> refusals(List<EnrichedChange> changes) {
        if (source == SourcePosition.NONE || changes.stream().allMatch(this::plausible)) {
            return List.of();
        }
        OptionalLong now = source.currentLsn();
        if (now.isEmpty()) {
            if (!unreadableLogged) {
                LOG.warn("the source's WAL position cannot be read: changes claiming LSNs above {} are applied"
                        + " unchecked until it can", known);
                unreadableLogged = true;
            }
            return List.of();
        }
        unreadableLogged = false;
        known = Math.max(known, now.getAsLong());
        List<Refused> out = new ArrayList<>();
        for (EnrichedChange c : changes) {
            reason(c).ifPresent(r -> out.add(new Refused(c, r)));
        }
        return out;
    }

    private boolean plausible(EnrichedChange c) {
        return known >= 0 && reason(c).isEmpty();
    }

    private Optional<String> reason(EnrichedChange c) {
        if (c.lsn() - known <= marginBytes) {
            return Optional.empty();
        }
        return Optional.of("LSN " + c.lsn() + " is ahead of the source's current WAL position " + known + " by "
                + (c.lsn() - known) + " bytes, more than sink.lsn.max.ahead.bytes (" + marginBytes + "): a forged or"
                + " corrupt record, which would freeze document '" + c.documentKey() + "' behind its LSN guard");
    }

    record Refused(EnrichedChange change, String reason) {
    }
}
