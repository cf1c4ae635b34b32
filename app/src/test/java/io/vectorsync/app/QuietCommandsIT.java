package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.pipeline.Pipeline;
import io.vectorsync.app.pipeline.Role;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.StorageMode;
import io.vectorsync.testkit.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands that answer a question print their answer on stdout and nothing else; vectorsync's INFO logs appear
 * (on stderr) only with {@code --verbose}. Each command runs as its own process, as a user runs it, against a
 * running pipeline on the real servers.
 */
@ExtendWith(LocalServers.class)
class QuietCommandsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    static Path stateDir;

    private static PipelineFixture fx;
    private static Pipeline pipeline;
    private static Path configFile;
    private static String table;

    /** What a process printed, and how it ended. */
    record Run(int exitCode, String stdout, String stderr) {
        List<String> infoLines() {
            return stderr.lines().filter(l -> l.matches(".*\\b(INFO|DEBUG|TRACE)\\b.*")).toList();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        fx = new PipelineFixture(LocalServers.get());
        table = "quiet_" + fx.suffix;
        fx.createDocumentTable(table);
        fx.insertDocuments(table, 1, 3);
        Map<String, String> raw = fx.config(stateDir);
        PipelineFixture.mapCollection(raw, table, table);
        raw.put("collections." + table + ".legacy", "pgvector");
        raw.put("collections." + table + ".target", "neo4j");
        raw.put("sink.neo4j.uri", fx.servers.neo4jUri());
        configFile = stateDir.resolve("quiet.properties");
        Properties props = new Properties();
        props.putAll(raw);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "QuietCommandsIT");
        }
        pipeline = Pipeline.start(AppConfigLoader.load(raw, true), EnumSet.allOf(Role.class),
                new SimpleMeterRegistry());
        await().atMost(TIMEOUT).until(() -> pipeline.modes().orElseThrow().status(table)
                .filter(s -> s.mode() == StorageMode.SOURCE_ONLY).isPresent());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(fx::dropSlot);
    }

    @Test
    void modeSetPrintsOnlyTheVerdictLines() throws Exception {
        Run run = vectorsync("mode", "set", "DUAL_WRITE", "--collection", table, "--dry-run", "-c",
                configFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).as(run.toString()).isNotEmpty();
        assertThat(lines.get(0)).matches("WOULD_APPLY: " + table + " -> DUAL_WRITE \\(epoch \\d+\\)");
        assertThat(lines.subList(1, lines.size())).as(run.stdout()).allMatch(l -> l.startsWith("  "));
        assertThat(run.infoLines()).as("stderr").isEmpty();
    }

    @Test
    void modeStatusJsonIsOnlyJson() throws Exception {
        Run run = vectorsync("mode", "status", "--json", "-c", configFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode statuses = Json.read(run.stdout(), JsonNode.class);
        assertThat(statuses.path(table).path("mode").asText()).isEqualTo("SOURCE_ONLY");
        assertThat(run.infoLines()).as("stderr").isEmpty();
    }

    @Test
    void statusJsonIsOnlyJson() throws Exception {
        Run run = vectorsync("status", "--json", "--url", "http://127.0.0.1:" + pipeline.httpPort().orElseThrow());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode overview = Json.read(run.stdout(), JsonNode.class);
        assertThat(overview.path("collections").isArray()).as(run.stdout()).isTrue();
        assertThat(run.infoLines()).as("stderr").isEmpty();
    }

    @Test
    void configCheckPrintsOnlyItsVerdict() throws Exception {
        Run run = vectorsync("config", "check", "-c", configFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("configuration is valid\n");
        assertThat(run.infoLines()).as("stderr").isEmpty();
    }

    @Test
    void verboseBringsBackTheInfoLogsOnStderrOnly() throws Exception {
        Run run = vectorsync("mode", "status", "--json", "--verbose", "-c", configFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Json.read(run.stdout(), JsonNode.class);
        assertThat(run.infoLines()).as(run.stderr()).anyMatch(l -> l.contains("effective configuration"));
    }

    /** Runs {@code vectorsync ARGS} in a JVM of its own, on this test's class path, as the jar would. */
    private static Run vectorsync(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                // The shipped logging configuration, not the tests' log4j2-test.xml (which logs to stdout).
                "-Dlog4j2.configurationFile=log4j2.xml", Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(stateDir, "out", ".txt");
        Path err = Files.createTempFile(stateDir, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("vectorsync " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
