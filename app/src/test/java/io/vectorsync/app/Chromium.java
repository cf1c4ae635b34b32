package io.vectorsync.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a subprocess: the page's DOM after its scripts ran, or a screenshot. Missing
 * Chromium is a failure that says how to install it, never a skipped test.
 */
final class Chromium {
    private static final String COMMAND = "chromium";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path workDir;

    Chromium(Path workDir) {
        this.workDir = workDir;
    }

    /** Fails, saying how to install it, when there is no chromium on the PATH. */
    static void requireInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, COMMAND))) {
                return;
            }
        }
        throw new AssertionError("the dashboard's browser test needs Debian's chromium, and there is no '" + COMMAND
                + "' on the PATH: run scripts/test.sh (it installs it through scripts/lib/chromium.sh) or"
                + " apt-get install -y chromium");
    }

    /**
     * The page's DOM, laid out at {@code width}×{@code height}, once its scripts have run for {@code virtualTimeMs}
     * of virtual time.
     */
    String dumpDom(String url, long virtualTimeMs, int width, int height) throws IOException, InterruptedException {
        Path out = run("dom", url, virtualTimeMs, List.of("--dump-dom", "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Saves a PNG of the page at {@code width}×{@code height} once its scripts have run. */
    void screenshot(String url, long virtualTimeMs, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run("screenshot", url, virtualTimeMs, List.of("--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height, "--hide-scrollbars"));
    }

    private Path run(String name, String url, long virtualTimeMs, List<String> extra)
            throws IOException, InterruptedException {
        requireInstalled();
        Path stdout = workDir.resolve(name + ".out");
        Path stderr = workDir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(COMMAND, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + workDir.resolve("profile-" + name),
                "--virtual-time-budget=" + virtualTimeMs));
        command.addAll(extra);
        command.add(url);
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command
                    + "; its errors are in " + stderr);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + ": " + command + "\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}
