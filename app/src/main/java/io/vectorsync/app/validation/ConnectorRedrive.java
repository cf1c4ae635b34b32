package io.vectorsync.app.validation;

import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.validation.Redrive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The validator's re-drive, done by the connector's {@link Redriver}. Wiring only. */
public final class ConnectorRedrive implements Redrive {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRedrive.class);

    private final Redriver redriver;
    private final PrintStream notices;

    public ConnectorRedrive(Redriver redriver, PrintStream notices) {
        this.redriver = redriver;
        this.notices = notices;
    }

    @Override
    public void reread(CollectionMapping mapping, List<List<String>> keys) {
        List<String> signals = redriver.reread(mapping.table(), mapping.idColumns(), keys);
        LOG.info("re-reading {} rows of {} through signals {}", keys.size(), mapping.table(), signals);
    }

    /**
     * The Redriver refuses a whole batch when one key is not a valid value of its column (an orphan whose id no row
     * of the table can have): such a batch is sent again key by key, and the keys refused are named.
     */
    @Override
    public void deleteAbsent(CollectionMapping mapping, List<List<String>> keys) {
        List<List<String>> deleted;
        try {
            deleted = redriver.deleteAbsent(mapping.table(), mapping.idColumns(), keys);
        } catch (IllegalArgumentException batchRefused) {
            deleted = new ArrayList<>();
            for (List<String> key : keys) {
                try {
                    deleted.addAll(redriver.deleteAbsent(mapping.table(), mapping.idColumns(), List.of(key)));
                } catch (IllegalArgumentException refused) {
                    notices.println("cannot delete " + mapping.name() + " document with key " + key
                            + " through the pipeline: " + refused.getMessage());
                }
            }
        }
        LOG.info("published deletes for {} of {} orphans of {}", deleted.size(), keys.size(), mapping.table());
    }

    @Override
    public void close() {
        redriver.close();
    }
}
