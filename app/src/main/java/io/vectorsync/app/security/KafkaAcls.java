package io.vectorsync.app.security;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.core.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * The least-privilege Kafka ACLs of each role on one pipeline (docs/security.md explains each line): what a platform
 * team grants, and what the secured integration test grants, so the documented table is the one that is tested.
 */
public final class KafkaAcls {

    /** Who talks to Kafka. */
    public enum Role {
        /** The running pipeline: connector, streams worker, mode controller, sinks, lag monitor. */
        SERVICE,
        /**
         * A person or tool steering it: {@code vectorsync mode set} (on its own control topic,
         * {@code <pipeline>.control.<name>}), {@code validate} (without repair).
         */
        OPERATOR,
        /** Read-only: {@code vectorsync mode status}, dashboards reading the status and validation topics. */
        READER
    }

    private KafkaAcls() {
    }

    /** @param principal e.g. {@code User:vectorsync} */
    public static List<AclBinding> of(Role role, String principal, AppConfig config) {
        Topics topics = config.kafka().topics();
        List<AclBinding> acls = new ArrayList<>();
        switch (role) {
            case SERVICE -> {
                AclOperation[] ownTopics = {DESCRIBE, DESCRIBE_CONFIGS, CREATE, READ, WRITE};
                // Every topic the pipeline creates is <pipeline>.*; it reads the control topics but may not write
                // them: asking for a mode is an operator's act.
                allow(acls, principal, ResourceType.TOPIC, topics.pipeline() + ".", PatternType.PREFIXED, ownTopics);
                acls.add(binding(principal, ResourceType.TOPIC, topics.control(), PatternType.PREFIXED, WRITE,
                        AclPermissionType.DENY));
                allow(acls, principal, ResourceType.TOPIC, Topics.cdcPrefix() + ".", PatternType.PREFIXED,
                        ownTopics);
                allow(acls, principal, ResourceType.TOPIC, config.source().offsetsTopic(), PatternType.LITERAL,
                        ownTopics);
                // Kafka Streams' internal topics (changelogs, repartition) of the streams worker and the mode
                // controller are named <application.id>-…; it deletes repartition records as it goes.
                String appId = config.streams().applicationId();
                allow(acls, principal, ResourceType.TOPIC, appId, PatternType.PREFIXED,
                        DESCRIBE, DESCRIBE_CONFIGS, CREATE, READ, WRITE, DELETE);
                allow(acls, principal, ResourceType.GROUP, appId, PatternType.PREFIXED, READ, DESCRIBE);
                allow(acls, principal, ResourceType.GROUP, topics.pipeline() + "-", PatternType.PREFIXED,
                        READ, DESCRIBE);
            }
            case OPERATOR -> {
                // Its own control topic only: the mode controller records whoever may write a topic as the sender.
                allow(acls, principal, ResourceType.TOPIC, topics.control(name(principal)), PatternType.LITERAL,
                        WRITE, DESCRIBE, CREATE);
                allow(acls, principal, ResourceType.TOPIC, topics.validation(), PatternType.LITERAL,
                        WRITE, READ, DESCRIBE);
                readOnly(acls, principal, topics);
            }
            case READER -> readOnly(acls, principal, topics);
        }
        return acls;
    }

    /** {@code alice} of {@code User:alice}. */
    private static String name(String principal) {
        return principal.startsWith("User:") ? principal.substring("User:".length()) : principal;
    }

    private static void readOnly(List<AclBinding> acls, String principal, Topics topics) {
        for (String topic : List.of(topics.status(), topics.validation(), topics.retentionGaps())) {
            allow(acls, principal, ResourceType.TOPIC, topic, PatternType.LITERAL, READ, DESCRIBE);
        }
    }

    private static void allow(List<AclBinding> acls, String principal, ResourceType type, String name,
                              PatternType pattern, AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(binding(principal, type, name, pattern, op, AclPermissionType.ALLOW));
        }
    }

    private static AclBinding binding(String principal, ResourceType type, String name, PatternType pattern,
                                      AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, permission));
    }
}
