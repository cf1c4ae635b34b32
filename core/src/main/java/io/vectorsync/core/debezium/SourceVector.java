package io.vectorsync.core.debezium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.json.Json;

import java.util.List;

/**
 * A vector read from a source column ({@code collections.<name>.vector}), as Debezium's PostgreSQL connector writes
 * it in its JSON (schemas disabled), turned into the 32-bit floats every store keeps. Pure.
 *
 * <ul>
 *   <li>pgvector {@code vector(n)}: Debezium 3.x's {@code io.debezium.data.DoubleVector}, an array of FLOAT64 parsed
 *       from pgvector's text, so a JSON array of numbers; {@code halfvec(n)}: {@code FloatVector}, the same shape;</li>
 *   <li>{@code real[]} and {@code double precision[]}: an ARRAY of FLOAT32 or FLOAT64, a JSON array of numbers;</li>
 *   <li>{@code json} and {@code jsonb}: {@code io.debezium.data.Json}, the document's text, which must be a JSON
 *       array of numbers. pgvector's own text form ({@code [1,2,3]}) is the same text, so it is read too.</li>
 * </ul>
 *
 * Each number becomes the nearest {@code float}; an element that is not a number, or not finite as a float (NaN,
 * infinities, a double beyond float range: no store accepts those), makes the whole vector invalid.
 */
public final class SourceVector {
    private SourceVector() {
    }

    /**
     * The column's value as floats; null when the value is SQL NULL (JSON null, or a JSON/JSONB column holding
     * {@code null}).
     *
     * @throws IllegalArgumentException saying what is wrong with the value (never quoting it: it may be large)
     */
    public static float[] parse(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return fromList(list);
        }
        if (value instanceof String text) {
            return fromText(text);
        }
        throw new IllegalArgumentException("it is not an array of numbers (pgvector vector, real[], float8[] or a JSON"
                + " array) but " + value.getClass().getSimpleName());
    }

    private static float[] fromList(List<?> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (!(e instanceof Number n)) {
                throw new IllegalArgumentException("element " + i + " is " + (e == null ? "null" : "not a number")
                        + "; a vector holds numbers only");
            }
            out[i] = checked(n.doubleValue(), i);
        }
        return out;
    }

    private static float[] fromText(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("its text is not a JSON array of numbers: " + e.getOriginalMessage());
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("its text is a JSON " + node.getNodeType().name().toLowerCase()
                    + ", not an array of numbers");
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = node.get(i);
            if (!e.isNumber()) {
                throw new IllegalArgumentException("element " + i + " is " + (e.isNull() ? "null" : "not a number")
                        + "; a vector holds numbers only");
            }
            out[i] = checked(e.doubleValue(), i);
        }
        return out;
    }

    private static float checked(double d, int index) {
        float f = (float) d;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("element " + index + " is " + d + ", not a finite 32-bit float");
        }
        return f;
    }
}
