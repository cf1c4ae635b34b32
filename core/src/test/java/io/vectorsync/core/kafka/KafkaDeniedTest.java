package io.vectorsync.core.kafka;

import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaDeniedTest {
    private static final Map<String, Object> ALICE = Map.of("security.protocol", "SASL_SSL",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"alice\" password=\"pw\";");

    @Test
    void aRefusedTopicNamesTheErrorTheTopicThePrincipalAndTheOperationItNeeds() {
        ExecutionException e = new ExecutionException(new TopicAuthorizationException(Set.of("p.control")));

        assertThat(KafkaDenied.explain(e, ALICE, "WRITE", "p.control")).hasValueSatisfying(m -> assertThat(m)
                .startsWith("TOPIC_AUTHORIZATION_FAILED on p.control: principal User:alice needs WRITE (Kafka said:")
                .doesNotContain("pw"));
    }

    @Test
    void aRefusedGroupAndARefusedLoginAreNamedToo() {
        assertThat(KafkaDenied.explain(new GroupAuthorizationException("denied", "p-sink-milvus"), ALICE, "READ",
                "the group")).hasValueSatisfying(m -> assertThat(m).startsWith(
                "GROUP_AUTHORIZATION_FAILED on group p-sink-milvus: principal User:alice needs READ ("));
        assertThat(KafkaDenied.explain(new SaslAuthenticationException("bad credentials"), ALICE, "READ", "x"))
                .hasValue("SASL_AUTHENTICATION_FAILED: Kafka refused the login of User:alice: bad credentials");
    }

    @Test
    void anUnauthenticatedClientIsAnonymousAndOtherFailuresAreNotExplained() {
        assertThat(KafkaDenied.explain(new TopicAuthorizationException(Set.of("t")), Map.of(), "READ", "t"))
                .hasValueSatisfying(m -> assertThat(m).contains("principal User:ANONYMOUS"));
        assertThat(KafkaDenied.explain(new TimeoutException("slow"), ALICE, "READ", "t")).isEmpty();
    }
}
