package io.vectorsync.store.milvus;

import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MilvusErrorsTest {

    @Test
    void serverErrorsKeepTheirMessageAndCodeButNeverTheFilterText() {
        MilvusClientException notFound = new MilvusClientException(ErrorCode.SERVER_ERROR,
                "collection not found[database=default][collection=docs]", 100, 0);
        MilvusClientException parse = new MilvusClientException(ErrorCode.SERVER_ERROR,
                "cannot parse expression: id in [\"secret-id\"], error: token recognition error", 65535, 0);

        assertThat(MilvusErrors.describe(notFound))
                .isEqualTo("collection not found[database=default][collection=docs] (server code 100)");
        assertThat(MilvusErrors.isCollectionNotFound(notFound)).isTrue();
        assertThat(MilvusErrors.describe(parse)).isEqualTo("cannot parse expression: id (server code 65535)")
                .doesNotContain("secret-id");
        assertThat(MilvusErrors.isCollectionNotFound(parse)).isFalse();
    }

    @Test
    void wrappedExceptionsLoseTheirClassNamePrefix() {
        MilvusClientException wrapped = new MilvusClientException(ErrorCode.CLIENT_ERROR,
                new IllegalStateException("something odd"));

        assertThat(MilvusErrors.describe(wrapped)).isEqualTo("something odd");
    }

    @Test
    void longMessagesAreCut() {
        MilvusClientException chatty = new MilvusClientException(ErrorCode.SERVER_ERROR, "x".repeat(1_000));

        assertThat(MilvusErrors.describe(chatty)).hasSize(303).endsWith("...");
    }
}
