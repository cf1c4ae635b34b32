package io.vectorsync.app.dlq;

import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters a command works on: all of the given conditions hold. An empty filter selects every one.
 *
 * @param collection  a collection the dead letter belongs to, or null for any
 * @param reason      a substring of its reason or error class, compared ignoring case, or null for any
 * @param coordinates {@code topic/partition/offset} of the dead letters wanted, or empty for any
 */
public record DeadLetterFilter(String collection, String reason, Set<String> coordinates) {

    public DeadLetterFilter {
        coordinates = Set.copyOf(coordinates);
    }

    public boolean isEmpty() {
        return collection == null && reason == null && coordinates.isEmpty();
    }

    public boolean matches(DeadLetter letter, DeadLetterOrigin origin) {
        if (collection != null && !origin.collections().contains(collection)) {
            return false;
        }
        if (reason != null) {
            String wanted = reason.toLowerCase(Locale.ROOT);
            boolean inReason = letter.reason() != null && letter.reason().toLowerCase(Locale.ROOT).contains(wanted);
            boolean inClass = letter.errorClass() != null
                    && letter.errorClass().toLowerCase(Locale.ROOT).contains(wanted);
            if (!inReason && !inClass) {
                return false;
            }
        }
        return coordinates.isEmpty() || coordinates.contains(letter.coordinates());
    }
}
