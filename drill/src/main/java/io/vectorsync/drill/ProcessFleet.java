package io.vectorsync.drill;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The service as separate OS processes ({@code vectorsync connector|streams|sink}), each with its own generated
 * config file, state directory and log, started from the given classpath. Processes can be killed (SIGKILL),
 * stopped (SIGTERM, the shutdown hook runs) and restarted. Like a process supervisor, the fleet restarts a process
 * that exits on its own, and records that it did.
 */
public final class ProcessFleet implements AutoCloseable {
    public static final String CONNECTOR = "connector";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessFleet.class);
    private static final long STOP_TIMEOUT_S = 60;

    private final Path workDir;
    private final Map<String, String> config;
    private final String classpath;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<String> exits = new ArrayList<>();
    private final ScheduledExecutorService supervisor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "drill-supervisor");
        t.setDaemon(true);
        return t;
    });

    private static final class Member {
        final String role;
        final Path configFile;
        final Path log;
        Process process;
        boolean wanted;

        Member(String role, Path configFile, Path log) {
            this.role = role;
            this.configFile = configFile;
            this.log = log;
        }
    }

    /**
     * @param config    the pipeline's configuration; each process gets a copy with its own state dir and HTTP port 0
     * @param classpath where {@code io.vectorsync.app.Main} and its libraries are
     */
    public ProcessFleet(Path workDir, Map<String, String> config, String classpath) {
        this.workDir = workDir;
        this.config = Map.copyOf(config);
        this.classpath = classpath;
        supervisor.scheduleWithFixedDelay(this::supervise, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts a process {@code name} running {@code role} (connector, streams or sink). */
    public synchronized void start(String name, String role) {
        Member m = members.get(name);
        if (m == null) {
            Path dir = workDir.resolve(name);
            Map<String, String> own = new LinkedHashMap<>(config);
            own.put("streams.state.dir", dir.resolve("state").toString());
            own.put("http.port", "0");
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve("vectorsync.properties");
                Files.writeString(file, own.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                        .collect(Collectors.joining("\n", "", "\n")));
                m = new Member(role, file, workDir.resolve(name + ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the config of " + name, e);
            }
            members.put(name, m);
        }
        launch(name, m);
    }

    /** kill -9: no shutdown hook, nothing flushed. */
    public synchronized void kill(String name) throws InterruptedException {
        Member m = member(name);
        m.wanted = false;
        m.process.destroyForcibly().waitFor();
        LOG.info("killed {} (pid {})", name, m.process.pid());
    }

    /** SIGTERM, then waits for the process to end (SIGKILL after a minute, reported). */
    public synchronized void stop(String name) throws InterruptedException {
        Member m = member(name);
        m.wanted = false;
        m.process.destroy();
        if (!m.process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
            exits.add(name + " did not stop within " + STOP_TIMEOUT_S + " s of SIGTERM");
            m.process.destroyForcibly().waitFor();
        }
        LOG.info("stopped {} (exit {})", name, m.process.exitValue());
    }

    /** Starts a stopped or killed process again, with the same config, state dir and log. */
    public synchronized void restart(String name) {
        launch(name, member(name));
    }

    /** What ended without being asked to: exits the supervisor answered with a restart, slow stops. */
    public synchronized List<String> unexpectedExits() {
        return List.copyOf(exits);
    }

    public synchronized Path log(String name) {
        return member(name).log;
    }

    @Override
    public synchronized void close() {
        supervisor.shutdownNow();
        for (Map.Entry<String, Member> e : members.entrySet()) {
            Process p = e.getValue().process;
            e.getValue().wanted = false;
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (Member m : members.values()) {
            try {
                if (m.process != null && !m.process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                    m.process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                m.process.destroyForcibly();
            }
        }
    }

    private synchronized void supervise() {
        for (Map.Entry<String, Member> e : members.entrySet()) {
            Member m = e.getValue();
            if (m.wanted && m.process != null && !m.process.isAlive()) {
                String exit = e.getKey() + " exited on its own with code " + m.process.exitValue() + " (log "
                        + m.log + ")";
                exits.add(exit);
                LOG.warn("{}; restarting it", exit);
                launch(e.getKey(), m);
            }
        }
    }

    private void launch(String name, Member m) {
        if (m.process != null && m.process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, m.role.equals("streams") ? "-Xmx1g" : "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "io.vectorsync.app.Main", m.role, "--config",
                m.configFile.toString());
        try {
            Files.writeString(m.log, "---- start " + Instant.now() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            m.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        m.wanted = true;
        LOG.info("started {} as {} (pid {})", name, m.role, m.process.pid());
    }

    private Member member(String name) {
        Member m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no process " + name + " in the fleet");
        }
        return m;
    }
}
