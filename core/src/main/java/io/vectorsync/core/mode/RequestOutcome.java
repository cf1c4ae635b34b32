package io.vectorsync.core.mode;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.model.StorageMode;

import java.util.List;

/**
 * The answer to one mode request, on the status topic: under {@code Topics.REQUESTS_KEY} for every request, and as
 * {@code last_request} of each collection it touched.
 *
 * @param collection as requested (a name or "all"); null when the message could not be read
 * @param mode       as requested; null when the message could not be read
 * @param epoch      the epoch the request produced (applied), or the newest epoch when it was refused
 * @param reasons    why it was refused, or, when forced, the gate conditions that were overridden
 * @param actions    what applying did or would do
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RequestOutcome(String requestId, Result result, String collection, StorageMode mode,
                             String requestedBy, long epoch, boolean forced, List<String> reasons,
                             List<String> actions, long atMs) {

    public enum Result {
        APPLIED, REFUSED, WOULD_APPLY, WOULD_REFUSE;

        public boolean refused() {
            return this == REFUSED || this == WOULD_REFUSE;
        }
    }

    public RequestOutcome {
        reasons = List.copyOf(reasons);
        actions = List.copyOf(actions);
    }
}
