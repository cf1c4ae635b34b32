package io.vectorsync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on loopback speaking the OpenAI embeddings format ({@code POST /v1/embeddings}, and Azure
 * OpenAI's {@code /openai/deployments/<name>/embeddings} with {@code api-key}) and Ollama's ({@code POST /api/embed}),
 * answering with the vectors of a real model passed in (the in-process MiniLM, say). Faults are injected per
 * request ({@link #enqueue}) or for every request until {@link #up()} ({@link #down}).
 *
 * <pre>{@code try (EmbeddingServer server = EmbeddingServer.start(model::embed, "key")) { server.openAiUrl(); }}</pre>
 */
public final class EmbeddingServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a request meets instead of (or before) its answer. */
    public record Fault(Kind kind, int retryAfterSeconds, Duration delay) {
        public enum Kind { RATE_LIMITED, UNAVAILABLE, SERVER_ERROR, SLOW, WRONG_DIMENSION, WRONG_COUNT, DROP_CONNECTION }

        /** 429 with {@code Retry-After} seconds (none when negative). */
        public static Fault rateLimited(int retryAfterSeconds) {
            return new Fault(Kind.RATE_LIMITED, retryAfterSeconds, Duration.ZERO);
        }

        /** 503 with {@code Retry-After} seconds (none when negative). */
        public static Fault unavailable(int retryAfterSeconds) {
            return new Fault(Kind.UNAVAILABLE, retryAfterSeconds, Duration.ZERO);
        }

        public static Fault serverError() {
            return new Fault(Kind.SERVER_ERROR, -1, Duration.ZERO);
        }

        /** The right answer, after {@code delay}. */
        public static Fault slow(Duration delay) {
            return new Fault(Kind.SLOW, -1, delay);
        }

        /** 200 with every vector one number short. */
        public static Fault wrongDimension() {
            return new Fault(Kind.WRONG_DIMENSION, -1, Duration.ZERO);
        }

        /** 200 with the last vector missing. */
        public static Fault wrongCount() {
            return new Fault(Kind.WRONG_COUNT, -1, Duration.ZERO);
        }

        /** The connection closed with no answer. */
        public static Fault dropConnection() {
            return new Fault(Kind.DROP_CONNECTION, -1, Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<List<String>, List<float[]>> model;
    private final String apiKey;
    private final Deque<Fault> queued = new ConcurrentLinkedDeque<>();
    private volatile Fault down;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final AtomicInteger textsAnswered = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private EmbeddingServer(Function<List<String>, List<float[]>> model, String apiKey) throws IOException {
        this.model = model;
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "embedding-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param apiKey required of every request when non-null: {@code Authorization: Bearer} or {@code api-key} */
    public static EmbeddingServer start(Function<List<String>, List<float[]>> model, String apiKey) {
        try {
            return new EmbeddingServer(model, apiKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL for {@code embedding.provider=openai}: ends in {@code /v1}. */
    public String openAiUrl() {
        return baseUrl() + "/v1";
    }

    /** Base URL for Azure OpenAI and for {@code embedding.provider=ollama}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** The next requests, one fault each, in order. */
    public void enqueue(Fault... faults) {
        queued.addAll(List.of(faults));
    }

    /** Every request meets {@code fault} until {@link #up()}. */
    public void down(Fault fault) {
        down = fault;
    }

    public void up() {
        down = null;
    }

    public int requests() {
        return requests.get();
    }

    /** Requests that met a fault. */
    public int faults() {
        return faults.get();
    }

    public int textsAnswered() {
        return textsAnswered.get();
    }

    /** The most requests this server was answering at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            boolean ollama = path.equals("/api/embed");
            boolean openAi = path.equals("/v1/embeddings") || path.matches("/openai/deployments/[^/]+/embeddings");
            if (!"POST".equals(exchange.getRequestMethod()) || !(ollama || openAi)) {
                send(exchange, 404, "{\"error\":{\"message\":\"no such endpoint\"}}");
                return;
            }
            if (apiKey != null && !authorized(exchange)) {
                send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            List<String> texts = new ArrayList<>();
            body.path("input").forEach(t -> texts.add(t.asText()));
            Fault fault = down != null ? down : queued.poll();
            if (fault != null) {
                faults.incrementAndGet();
                if (fail(exchange, fault)) {
                    return;
                }
            }
            List<float[]> vectors = new ArrayList<>(model.apply(texts));
            if (fault != null && fault.kind() == Fault.Kind.WRONG_COUNT && !vectors.isEmpty()) {
                vectors.remove(vectors.size() - 1);
            }
            if (fault != null && fault.kind() == Fault.Kind.WRONG_DIMENSION) {
                vectors.replaceAll(v -> Arrays.copyOf(v, v.length - 1));
            }
            textsAnswered.addAndGet(texts.size());
            send(exchange, 200, (ollama ? ollamaAnswer(vectors, texts) : openAiAnswer(vectors, texts)).toString());
        }
    }

    /** Answers the fault and returns true, or returns false when the request goes on (slow, wrong answers). */
    private boolean fail(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault.kind()) {
            case RATE_LIMITED, UNAVAILABLE -> {
                if (fault.retryAfterSeconds() >= 0) {
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(fault.retryAfterSeconds()));
                }
                send(exchange, fault.kind() == Fault.Kind.RATE_LIMITED ? 429 : 503,
                        "{\"error\":{\"message\":\"try again later\"}}");
                return true;
            }
            case SERVER_ERROR -> {
                send(exchange, 500, "{\"error\":{\"message\":\"internal error\"}}");
                return true;
            }
            case DROP_CONNECTION -> {
                // Headers promising a body that never comes, then the connection closed: the client sees it cut.
                exchange.sendResponseHeaders(200, 1000);
                exchange.getResponseBody().write('{');
                exchange.getResponseBody().flush();
                return true;
            }
            case SLOW -> {
                try {
                    Thread.sleep(fault.delay().toMillis()); // the server's slowness itself, not a test's wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String bearer = exchange.getRequestHeaders().getFirst("Authorization");
        String azure = exchange.getRequestHeaders().getFirst("api-key");
        return ("Bearer " + apiKey).equals(bearer) || apiKey.equals(azure);
    }

    private static ObjectNode openAiAnswer(List<float[]> vectors, List<String> texts) {
        ObjectNode answer = JSON.createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode v = item.putArray("embedding");
            for (float x : vectors.get(i)) {
                v.add(x);
            }
        }
        answer.putObject("usage").put("prompt_tokens", tokens(texts)).put("total_tokens", tokens(texts));
        return answer;
    }

    private static ObjectNode ollamaAnswer(List<float[]> vectors, List<String> texts) {
        ObjectNode answer = JSON.createObjectNode().put("model", "served");
        ArrayNode embeddings = answer.putArray("embeddings");
        for (float[] vector : vectors) {
            ArrayNode v = embeddings.addArray();
            for (float x : vector) {
                v.add(x);
            }
        }
        answer.put("prompt_eval_count", tokens(texts));
        return answer;
    }

    /** Words, as a stand-in for the tokens a real server counts. */
    private static int tokens(List<String> texts) {
        return texts.stream().mapToInt(t -> t.isBlank() ? 0 : t.trim().split("\\s+").length).sum();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
