package io.vectorsync.core.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.protocol.Errors;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Kafka's refusals into a sentence an operator can act on: the error, the resource, the principal vectorsync
 * logged in as and the operation it needs, e.g. "TOPIC_AUTHORIZATION_FAILED on vectorsync.control.bob: principal
 * User:alice needs WRITE". Kafka's own message names neither the principal nor the operation.
 */
public final class KafkaDenied {
    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaDenied() {
    }

    /**
     * @param client    the client properties the refused client was built from (for the principal)
     * @param operation what the client was doing, as an ACL operation: READ, WRITE, DESCRIBE, CREATE
     * @param resource  what it was doing it on: a topic's name, or e.g. "group vectorsync-sink-neo4j"
     * @return the sentence, when {@code failure} or one of its causes is an authorization or authentication failure
     */
    public static Optional<String> explain(Throwable failure, Map<String, ?> client, String operation,
                                           String resource) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthorizationException denied) {
                String on = denied instanceof GroupAuthorizationException group && group.groupId() != null
                        ? "group " + group.groupId() : resource;
                return Optional.of(Errors.forException(denied).name() + " on " + on + ": principal "
                        + principal(client) + " needs " + operation + " (Kafka said: " + denied.getMessage() + ")");
            }
            if (t instanceof AuthenticationException failed) {
                return Optional.of(Errors.forException(failed).name() + ": Kafka refused the login of "
                        + principal(client) + ": " + failed.getMessage());
            }
        }
        return Optional.empty();
    }

    /** {@code User:name} for a SASL/PLAIN or SCRAM login, else what Kafka would call an unauthenticated client. */
    static String principal(Map<String, ?> client) {
        Object jaas = client.get("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = USERNAME.matcher(jaas.toString());
            if (m.find()) {
                return "User:" + m.group(1);
            }
        }
        Object protocol = client.get("security.protocol");
        return protocol == null || "PLAINTEXT".equalsIgnoreCase(protocol.toString())
                ? "User:ANONYMOUS" : "the configured principal";
    }
}
