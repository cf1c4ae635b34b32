package io.vectorsync.app;

import io.vectorsync.app.config.ConfigKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration reference is the one the code declares. */
class ConfigReferenceDocTest {

    @Test
    void readmeConfigReferenceMatchesTheDeclaredKeys() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String start = "<!-- config-reference:start -->\n";
        String end = "<!-- config-reference:end -->";
        String section = readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end));
        assertThat(section).as("regenerate with ./vectorsync config reference").isEqualTo(ConfigKeys.markdown());
    }
}
