package io.vectorsync.store.neo4j;

import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.DatabaseException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

import static org.assertj.core.api.Assertions.assertThat;

class Neo4jErrorsTest {

    @Test
    void constraintTypeAndArgumentErrorsAreRefusedChanges() {
        assertThat(Neo4jErrors.isRefusedChange(new ClientException(
                "Neo.ClientError.Schema.ConstraintValidationFailed", "Node(0) already exists"))).isTrue();
        assertThat(Neo4jErrors.isRefusedChange(new ClientException("Neo.ClientError.Statement.TypeError",
                "Property values can only be of primitive types or arrays thereof"))).isTrue();
        assertThat(Neo4jErrors.isRefusedChange(new ClientException("Neo.ClientError.Statement.ArgumentError",
                "bad argument"))).isTrue();
    }

    @Test
    void unreachableTransientExpiredAndServerErrorsAreNotRefusedChanges() {
        assertThat(Neo4jErrors.isRefusedChange(new ServiceUnavailableException("no route"))).isFalse();
        assertThat(Neo4jErrors.isRefusedChange(new SessionExpiredException("expired"))).isFalse();
        assertThat(Neo4jErrors.isRefusedChange(new TransientException(
                "Neo.TransientError.Transaction.DeadlockDetected", "deadlock"))).isFalse();
        assertThat(Neo4jErrors.isRefusedChange(new DatabaseException("Neo.DatabaseError.General.UnknownError",
                "boom"))).isFalse();
    }

    @Test
    void clientErrorsThatSayNothingAboutTheChangeAreNotRefusedChanges() {
        assertThat(Neo4jErrors.isRefusedChange(new AuthenticationException(
                "Neo.ClientError.Security.Unauthorized", "bad credentials"))).isFalse();
        assertThat(Neo4jErrors.isRefusedChange(new ClientException("Neo.ClientError.Statement.SyntaxError",
                "Invalid input"))).isFalse();
        assertThat(Neo4jErrors.isRefusedChange(new ClientException("Neo.ClientError.Database.DatabaseNotFound",
                "no such database"))).isFalse();
    }
}
