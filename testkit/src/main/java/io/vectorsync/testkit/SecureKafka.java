package io.vectorsync.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The test broker's secured listener (SASL_SSL, SCRAM-SHA-512, ACLs by the standard authorizer; see
 * {@code scripts/lib/kafka.sh}), and its super user {@code vs-admin}, with which a test makes its own users and
 * grants them ACLs.
 *
 * @param bootstrap  the SASL_SSL listener, e.g. {@code 127.0.0.1:19194}
 * @param truststore the PEM file of the CA that signed the broker's certificate
 */
public record SecureKafka(String bootstrap, Path truststore, String adminUser, String adminPassword) {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** {@code kafka.client.*} configuration of a SCRAM-SHA-512 login as {@code user}, as a pipeline takes it. */
    public Map<String, String> clientConfig(String user, String password) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap.servers", bootstrap);
        clientProperties(user, password).forEach((k, v) -> c.put("kafka.client." + k, v.toString()));
        return c;
    }

    /** The client properties of a login as {@code user}, for a client a test opens itself. */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", truststore.toString());
        return p;
    }

    /** An admin client logged in as the super user; the caller closes it. */
    public Admin admin() {
        Map<String, Object> p = new HashMap<>(clientProperties(adminUser, adminPassword));
        p.put("bootstrap.servers", bootstrap);
        return Admin.create(p);
    }

    /** Creates (or resets) a SCRAM-SHA-512 user; returns once the broker accepts its login. */
    public void createUser(String user, String password) {
        try (Admin admin = admin()) {
            get(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all());
        }
        Map<String, Object> p = new HashMap<>(clientProperties(user, password));
        p.put("bootstrap.servers", bootstrap);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Admin asUser = Admin.create(p)) {
                get(asUser.describeCluster().clusterId());
                return;
            } catch (IllegalStateException e) {
                // The credential reaches the broker through the metadata log, a moment after the controller took it.
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("user " + user + " cannot log in after " + WAIT.toSeconds()
                            + " s", e);
                }
            }
        }
    }

    /** Creates the ACLs; returns once the broker's authorizer holds every one of them. */
    public void allow(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            get(admin.createAcls(acls).all());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!get(admin.describeAcls(AclBindingFilter.ANY).values()).containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ACLs not in force after " + WAIT.toSeconds() + " s: " + acls);
                }
                Thread.onSpinWait();
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().toString() : e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
