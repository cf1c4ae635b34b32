package io.vectorsync.app.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * The hits of a search as text columns: rank, score, id, content. The id column is as wide as the longest id, so the
 * columns stay aligned whatever the ids; content is cut at {@value #CONTENT_CHARS} characters, on one line.
 */
final class SearchTable {
    static final int CONTENT_CHARS = 100;

    private SearchTable() {
    }

    static String render(List<JsonNode> hits) {
        int idWidth = 2;
        for (JsonNode hit : hits) {
            idWidth = Math.max(idWidth, hit.path("id").asText().length());
        }
        int rankWidth = Math.max(2, Integer.toString(hits.size()).length() + 1);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%" + rankWidth + "s  %-10s  %-" + idWidth + "s  %s%n", "#", "SCORE",
                "ID", "CONTENT"));
        int rank = 1;
        for (JsonNode hit : hits) {
            String content = hit.path("content").asText().replaceAll("\\s+", " ");
            out.append(String.format(Locale.ROOT, "%" + rankWidth + "s  %-10.4f  %-" + idWidth + "s  %s%n",
                    rank++ + ".", hit.path("score").asDouble(), hit.path("id").asText(),
                    abbreviate(content, CONTENT_CHARS)));
        }
        return out.toString();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
