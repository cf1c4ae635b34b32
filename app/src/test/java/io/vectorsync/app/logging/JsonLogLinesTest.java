package io.vectorsync.app.logging;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.core.config.SecretMask;
import io.vectorsync.core.json.Json;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own {@code log4j2.xml} with {@code log.format=json}: one JSON object a line with the timestamp,
 * level, logger, thread, this process's instance, and the collection, sink and key the MDC holds; the message and
 * the stack trace with every configured secret and URL credential masked, as in the text format.
 */
class JsonLogLinesTest {
    private LoggerContext context;

    @AfterEach
    void forget() {
        if (context != null) {
            context.stop();
        }
        System.clearProperty(LogFormat.FORMAT_PROPERTY);
        System.clearProperty(LogFormat.INSTANCE_PROPERTY);
        SecretMaskingConverter.use(new SecretMask(List.of()));
    }

    @Test
    void aJsonLineCarriesInstanceCollectionSinkAndKeyAndMasksSecrets() throws Exception {
        System.setProperty(LogFormat.FORMAT_PROPERTY, "json");
        System.setProperty(LogFormat.INSTANCE_PROPERTY, "sink-7f9c");
        SecretMaskingConverter.use(new SecretMask(List.of("pg-s3cret")));
        Layout<?> layout = serviceLayout();
        assertThat(layout).isInstanceOf(JsonTemplateLayout.class);
        LogEvent event = Log4jLogEvent.newBuilder().setLevel(Level.WARN)
                .setLoggerName("io.vectorsync.sink.runner.BatchApplier").setThreadName("vectorsync-sink-pgvector")
                .setTimeMillis(1_700_000_000_123L)
                .setMessage(new SimpleMessage("sink pgvector dead-lettered a change: jdbc:postgresql://h/v?user=vs"
                        + "&password=in-url refused"))
                .setContextData(new SortedArrayStringMap(Map.of("collection", "articles", "sink", "pgvector",
                        "key", "42")))
                .setThrown(new IllegalStateException("auth failed for pg-s3cret at http://vs:hunter2@h:1/"))
                .build();

        String line = (String) layout.toSerializable(event);

        assertThat(line).endsWith("}\n").doesNotContain("in-url", "pg-s3cret", "hunter2");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.mapper().readTree(line);
        assertThat(json.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("io.vectorsync.sink.runner.BatchApplier");
        assertThat(json.get("thread").asText()).isEqualTo("vectorsync-sink-pgvector");
        assertThat(json.get("instance").asText()).isEqualTo("sink-7f9c");
        assertThat(json.get("collection").asText()).isEqualTo("articles");
        assertThat(json.get("sink").asText()).isEqualTo("pgvector");
        assertThat(json.get("key").asText()).isEqualTo("42");
        assertThat(json.get("exception").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.get("message").asText())
                .startsWith("sink pgvector dead-lettered a change: jdbc:postgresql://h/v?user=vs&password=****"
                        + " refused\n")
                .contains("java.lang.IllegalStateException: auth failed for **** at http://vs:****@h:1/",
                        "at io.vectorsync.app.logging.JsonLogLinesTest");
    }

    @Test
    void aLineWithoutAnExceptionOrMdcHasOnlyTheFieldsItKnows() throws Exception {
        System.setProperty(LogFormat.FORMAT_PROPERTY, "json");
        System.setProperty(LogFormat.INSTANCE_PROPERTY, "streams-1");
        LogEvent event = Log4jLogEvent.newBuilder().setLevel(Level.INFO).setLoggerName("io.vectorsync.app.Main")
                .setThreadName("main").setTimeMillis(0).setMessage(new SimpleMessage("pipeline started")).build();

        JsonNode json = Json.mapper().readTree((String) serviceLayout().toSerializable(event));

        assertThat(json.get("message").asText()).isEqualTo("pipeline started");
        assertThat(json.get("instance").asText()).isEqualTo("streams-1");
        assertThat(json.has("exception")).isFalse();
        assertThat(json.has("collection")).isFalse();
    }

    @Test
    void withoutJsonTheConsoleKeepsTheMaskingTextPattern() throws Exception {
        assertThat(serviceLayout()).isInstanceOf(PatternLayout.class);
        assertThat(((PatternLayout) serviceLayout()).getConversionPattern()).contains("%mask{%msg%n%xEx}");
    }

    /** The console appender's layout as the service's log4j2.xml configures it now. */
    private Layout<?> serviceLayout() throws Exception {
        if (context != null) {
            context.stop();
        }
        context = new LoggerContext("json-log-lines-test");
        Configuration config = new XmlConfiguration(context,
                ConfigurationSource.fromResource("log4j2.xml", getClass().getClassLoader()));
        context.start(config);
        return context.getConfiguration().getAppender("console").getLayout();
    }
}
