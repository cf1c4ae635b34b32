package io.vectorsync.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vectorsync.core.json.Json;

import java.io.UncheckedIOException;

/** The report as indented JSON; field names are those of {@link ValidationReport} in snake_case. */
public final class JsonReport {
    private JsonReport() {
    }

    public static String render(ValidationReport report) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a report */
    public static ValidationReport read(String json) {
        return Json.read(json, ValidationReport.class);
    }
}
