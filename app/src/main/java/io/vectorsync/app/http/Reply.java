package io.vectorsync.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.vectorsync.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP answer (status, content type, body), and how it is written; shared by every endpoint. */
record Reply(int status, String contentType, byte[] body) {
    static final String JSON = "application/json; charset=utf-8";

    static Reply json(int status, Object body) {
        return new Reply(status, JSON, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static Reply noSuchPath(HttpExchange exchange) {
        return error(404, "no such path: " + exchange.getRequestURI().getPath());
    }

    /** This answer with its JSON body passed through {@code mask}; other bodies unchanged. */
    Reply masked(java.util.function.UnaryOperator<String> mask) {
        if (!JSON.equals(contentType)) {
            return this;
        }
        return new Reply(status, JSON, mask.apply(new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
    }

    void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
