package io.vectorsync.core.config;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskTest {

    @Test
    void everyOccurrenceOfASecretIsMasked() {
        SecretMask mask = new SecretMask(List.of("hunter2"));

        assertThat(mask.apply("user u with hunter2 failed; hunter2 again"))
                .isEqualTo("user u with **** failed; **** again");
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        SecretMask mask = new SecretMask(List.of("abc", "abcdef"));

        assertThat(mask.apply("token abcdef")).isEqualTo("token ****");
    }

    @Test
    void credentialsInUrlsAreMaskedEvenWhenNotConfigured() {
        SecretMask mask = new SecretMask(List.of());

        assertThat(mask.apply("jdbc:postgresql://h:5432/db?user=me&password=pw1&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=me&password=****&ssl=true");
        assertThat(mask.apply("http://root:Milvus@127.0.0.1:19530 refused"))
                .isEqualTo("http://root:****@127.0.0.1:19530 refused");
        assertThat(mask.apply("api_key=sk-123 token=t")).isEqualTo("api_key=**** token=****");
    }

    @Test
    void emptyAndNullSecretsAreIgnoredAndNullTextStaysNull() {
        SecretMask mask = new SecretMask(Arrays.asList("", null));

        assertThat(mask.apply("nothing secret here")).isEqualTo("nothing secret here");
        assertThat(mask.apply(null)).isNull();
    }

    @Test
    void theKeyPartOfAUserColonPasswordSecretIsMaskedAloneToo() {
        SecretMask mask = new SecretMask(List.of("root:milvus-pw"));

        assertThat(mask.apply("token root:milvus-pw, then milvus-pw alone")).isEqualTo("token ****, then **** alone");
    }

    @Test
    void aJaasPasswordIsMaskedEvenWhenNotConfigured() {
        SecretMask mask = new SecretMask(List.of());

        assertThat(mask.apply("ScramLoginModule required username=\"op\" password=\"p w\"; Password = \"x\""))
                .isEqualTo("ScramLoginModule required username=\"op\" password=\"****\"; Password = \"****\"");
    }
}
