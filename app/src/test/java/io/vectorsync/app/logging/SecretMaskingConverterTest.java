package io.vectorsync.app.logging;

import io.vectorsync.core.config.SecretMask;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The log pattern {@code %mask{...}} hides secrets in messages and stack traces. */
class SecretMaskingConverterTest {

    @AfterEach
    void forget() {
        SecretMaskingConverter.use(new SecretMask(List.of()));
    }

    @Test
    void aConfiguredSecretAndUrlCredentialsAreMaskedInTheMessageAndTheStackTrace() {
        SecretMaskingConverter.use(new SecretMask(List.of("pg-s3cret")));
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(new DefaultConfiguration())
                .withPattern("%-5level %mask{%msg%n%xEx}").build();
        LogEvent event = Log4jLogEvent.newBuilder().setLevel(Level.WARN).setLoggerName("test")
                .setMessage(new SimpleMessage("cannot connect to jdbc:postgresql://h/v?user=vs&password=in-url"))
                .setThrown(new IllegalStateException("auth failed for pg-s3cret at http://vs:hunter2@h:1/"))
                .build();

        String line = layout.toSerializable(event);

        assertThat(line).contains("password=****", "auth failed for ****", "vs:****@h", "IllegalStateException")
                .doesNotContain("in-url", "pg-s3cret", "hunter2");
    }

    @Test
    void theCommandLinesLogPatternMasks() throws Exception {
        assertThat(Files.readString(Path.of("src/main/resources/log4j2.xml"))).contains("%mask{%msg%n%xEx}");
    }
}
