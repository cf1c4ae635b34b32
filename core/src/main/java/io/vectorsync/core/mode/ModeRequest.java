package io.vectorsync.core.mode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vectorsync.core.config.MappingConfig;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.StorageMode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request to move one collection, or all of them, to a storage mode: the JSON on {@code vectorsync.control}.
 *
 * <pre>{"collection":"articles","mode":"DUAL_WRITE","requested_by":"ana","reason":"start migration",
 *  "dry_run":false,"force":false,"epoch":3,"request_id":"…"}</pre>
 *
 * @param collection a collection name, or {@value #ALL}
 * @param epoch      the newest epoch the requester saw; the request is refused as stale when the collection has
 *                   changed since. Null: no check.
 * @param requestId  echoed in the answer on the status topic; the controller makes one up when absent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModeRequest(String requestId, String collection, StorageMode mode, String requestedBy, String reason,
                          boolean dryRun, boolean force, Long epoch) {
    public static final String ALL = MappingConfig.ALL;
    static final int MAX_TEXT = 1000;
    private static final Set<String> FIELDS = Set.of("request_id", "collection", "mode", "requested_by", "reason",
            "dry_run", "force", "epoch");

    /** This request as sent by {@code who}. */
    public ModeRequest requestedBy(String who) {
        return new ModeRequest(requestId, collection, mode, who, reason, dryRun, force, epoch);
    }

    public boolean forAll() {
        return ALL.equals(collection);
    }

    public String toJson() {
        return Json.write(this);
    }

    /** A parsed request, or every reason it is not one. */
    public record Parsed(ModeRequest request, String requestId, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Reads a control message, reporting every problem at once.
     *
     * @param fallbackId the request id when the message carries none (the record's offset, say)
     */
    public static Parsed parse(String text, String fallbackId) {
        if (text == null) {
            return new Parsed(null, fallbackId, List.of("empty message: a mode request is a JSON object"));
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return new Parsed(null, fallbackId, List.of("not valid JSON: " + e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Parsed(null, fallbackId, List.of("a mode request is a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT))));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add("unknown field '" + f + "', expected " + String.join(", ", new TreeSet<>(FIELDS)));
            }
        }
        String requestId = text(node, "request_id", false, problems);
        String id = requestId == null ? fallbackId : requestId;
        String collection = text(node, "collection", true, problems);
        String modeText = text(node, "mode", true, problems);
        String requestedBy = text(node, "requested_by", true, problems);
        String reason = text(node, "reason", false, problems);
        boolean dryRun = bool(node, "dry_run", problems);
        boolean force = bool(node, "force", problems);
        Long epoch = null;
        JsonNode e = node.get("epoch");
        if (e != null && !e.isNull()) {
            if (!e.canConvertToLong() || !e.isIntegralNumber() || e.asLong() < 0) {
                problems.add("epoch must be a whole number >= 0, got " + e);
            } else {
                epoch = e.asLong();
            }
        }
        StorageMode mode = null;
        if (modeText != null) {
            try {
                mode = StorageMode.parse(modeText);
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, id, List.copyOf(problems));
        }
        return new Parsed(new ModeRequest(id, collection, mode, requestedBy, reason, dryRun, force, epoch), id,
                List.of());
    }

    private static String text(JsonNode node, String field, boolean required, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + " must be a string, got " + v);
            return null;
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            problems.add(field + " must not be blank");
            return null;
        }
        if (s.length() > MAX_TEXT) {
            problems.add(field + " is " + s.length() + " characters, at most " + MAX_TEXT + " allowed");
            return null;
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + " must not contain control characters");
            return null;
        }
        return s;
    }

    private static boolean bool(JsonNode node, String field, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            problems.add(field + " must be true or false, got " + v);
            return false;
        }
        return v.asBoolean();
    }
}
