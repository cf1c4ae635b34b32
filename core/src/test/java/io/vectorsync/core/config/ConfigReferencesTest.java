package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ${env:NAME}} and {@code ${file:/path}} in any value: resolved for parsing, never printed resolved. */
class ConfigReferencesTest {
    private static final ConfigKey<String> PASSWORD = ConfigKey.secret("source.password", "password");
    private static final ConfigKey<String> HOST = ConfigKey.string("source.host", "localhost", "host");
    private static final ConfigKey<Integer> PORT = ConfigKey.positiveInt("source.port", 5432, "port");

    @Test
    void anEnvironmentVariableIsResolvedForParsingButPrintedAsWritten() {
        ConfigReader reader = new ConfigReader(
                Map.of("source.password", "${env:PG_PASSWORD}", "source.host", "${env:PG_HOST}"),
                Map.of("PG_PASSWORD", "s3cret-pw", "PG_HOST", "db.internal"));

        assertThat(reader.get(PASSWORD)).isEqualTo("s3cret-pw");
        assertThat(reader.get(HOST)).isEqualTo("db.internal");
        reader.finish();
        assertThat(reader.effective()).containsEntry("source.password", "****")
                .containsEntry("source.host", "${env:PG_HOST}");
        assertThat(reader.secrets()).containsExactly("s3cret-pw");
    }

    @Test
    void aFileIsReadWholeLessOneFinalNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "line one\nline two\n");

        ConfigReader reader = new ConfigReader(Map.of("source.password", "${file:" + file + "}"), Map.of());

        assertThat(reader.get(PASSWORD)).isEqualTo("line one\nline two");
        reader.finish();
        assertThat(reader.effective().toString()).doesNotContain("line one");
    }

    @Test
    void aReferenceMayBePartOfAValue() {
        ConfigReader reader = new ConfigReader(Map.of("source.host", "db-${env:REGION}.internal"),
                Map.of("REGION", "eu1"));

        assertThat(reader.get(HOST)).isEqualTo("db-eu1.internal");
    }

    @Test
    void aMissingVariableOrFileIsAProblemNamingTheKeyAndTheReferenceNeverAValue(@TempDir Path dir) {
        ConfigReader reader = new ConfigReader(Map.of(
                "source.password", "${env:NOT_SET_ANYWHERE}",
                "source.host", "${file:" + dir.resolve("absent") + "}",
                "source.port", "${vault:db:port}"), Map.of("OTHER", "other-value"));
        reader.get(PASSWORD);
        reader.get(HOST);
        reader.get(PORT);

        assertThatThrownBy(reader::finish).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "'source.password' was '${env:NOT_SET_ANYWHERE}' but it refers to the environment"
                                        + " variable 'NOT_SET_ANYWHERE', which is not set",
                                "'source.host' was '${file:" + dir.resolve("absent") + "}' but it refers to the file '"
                                        + dir.resolve("absent") + "', which cannot be read",
                                "'source.port' was '${vault:db:port}' but it refers to '${vault:...}', but only"
                                        + " ${env:NAME} and ${file:/path} are known"))
                .hasMessageNotContaining("other-value");
    }

    @Test
    void aBadResolvedValueIsReportedWithTheReferenceNotTheValue() {
        ConfigReader reader = new ConfigReader(Map.of("source.port", "${env:PG_PORT}"), Map.of("PG_PORT", "nope-42"));
        reader.get(PORT);

        assertThat(reader.problems()).extracting(ConfigProblem::toString)
                .containsExactly("'source.port' was '${env:PG_PORT}' but it must be a whole number");
    }

    @Test
    void valuesWithoutReferencesAreLeftAlone() {
        ConfigReader reader = new ConfigReader(Map.of("source.host", "$HOME and {braces}"), Map.of("HOME", "/root"));

        assertThat(reader.get(HOST)).isEqualTo("$HOME and {braces}");
        assertThat(reader.problems()).isEmpty();
        assertThat(reader.secrets()).isEqualTo(List.of());
    }
}
