package io.vectorsync.app.validate;

import io.vectorsync.connector.redrive.Redriver;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.sink.validate.Redrive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The validator's re-drive, done by the connector's {@link Redriver}. Wiring only. */
public final class ConnectorRedrive implements Redrive {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRedrive.class);

    private final Redriver redriver;

    public ConnectorRedrive(Redriver redriver) {
        this.redriver = redriver;
    }

    @Override
    public void reread(CollectionMapping mapping, List<List<String>> keys) {
        List<String> started = redriver.reread(mapping.table(), mapping.idColumns(), keys);
        LOG.info("re-reading {} rows of {}: {}", keys.size(), mapping.table(), started);
    }

    @Override
    public void deleteAbsent(CollectionMapping mapping, List<List<String>> keys) {
        List<List<String>> deleted = redriver.deleteAbsent(mapping.table(), mapping.idColumns(), keys);
        LOG.info("published deletes for {} of {} orphans of {}", deleted.size(), keys.size(), mapping.table());
    }

    @Override
    public void close() {
        redriver.close();
    }
}
