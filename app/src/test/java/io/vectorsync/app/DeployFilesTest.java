package io.vectorsync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.core.json.Json;
import io.vectorsync.core.model.SinkName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the Grafana and Prometheus files and the Kubernetes manifests parse, point at files that exist
 * and agree with each other and with the service's configuration keys. There is no Docker or Kubernetes here: what
 * they would do with these files is not tested, what can be read from them is. That every metric the Grafana
 * dashboard queries is exported is checked against a running pipeline in DashboardBrowserIT.
 */
class DeployFilesTest {
    @TempDir
    Path tmp;

    static final Path ROOT = Path.of("..");
    /** One Deployment per role, each running {@code vectorsync <role>}. */
    private static final List<String> ROLES = List.of("connector", "streams", "sink");
    private static final Pattern METRIC = Pattern.compile("\\bvectorsync_[a-z0-9_]+");
    static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    /** An environment variable whose name says it holds a secret. */
    static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|TOKEN|_KEY|JAAS");
    /** Compose's "from the environment, required": {@code ${NAME:?message}}, no default to fall back on. */
    static final Pattern COMPOSE_REQUIRED = Pattern.compile("\\$\\{[A-Z_][A-Z0-9_]*:\\?[^}]*}");

    @Test
    void dockerComposeRunsEveryServerPrometheusAndGrafanaWithFilesThatExist() throws IOException {
        Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("postgres", "kafka", "neo4j", "milvus", "vectorsync", "prometheus",
                "grafana");
        assertThat(string(map(services.get("postgres")).get("image"))).contains("pgvector");
        assertThat(list(map(services.get("postgres")).get("command"))).contains("wal_level=logical");
        assertThat(string(map(services.get("kafka")).get("image"))).startsWith("apache/kafka:");
        assertThat(map(map(services.get("kafka")).get("environment"))).containsEntry("KAFKA_PROCESS_ROLES",
                "broker,controller");
        assertThat(string(map(services.get("neo4j")).get("image"))).isEqualTo("neo4j:5.26");
        Map<String, Object> build = map(map(services.get("vectorsync")).get("build"));
        assertThat(ROOT.resolve(string(build.get("context"))).resolve(string(build.get("dockerfile")))).isRegularFile();

        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object volumes = map(service.getValue()).get("volumes");
            for (Object volume : volumes == null ? List.of() : list(volumes)) {
                String source = string(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as("%s mounts %s", service.getKey(), source).exists();
                }
            }
            Object depends = map(service.getValue()).get("depends_on");
            Iterable<?> names = depends instanceof Map<?, ?> m ? m.keySet() : depends == null ? List.of() : list(depends);
            names.forEach(name -> assertThat(services).as("%s depends on %s", service.getKey(), name)
                    .containsKey(string(name)));
        }
    }

    @Test
    void theDockerImageCopiesTheBuiltJarAndAnExecutableEntrypoint() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        assertThat(dockerfile).contains("COPY app/target/vectorsync.jar", "COPY app/target/lib/",
                "COPY deploy/vectorsync/entrypoint.sh");
        assertThat(ROOT.resolve("deploy/vectorsync/entrypoint.sh")).isExecutable();
    }

    @Test
    void theComposeAndKubernetesConfigurationsAreValidVectorsyncConfigurations() throws IOException {
        Map<String, String> compose = new LinkedHashMap<>(properties(
                Files.readString(ROOT.resolve("deploy/vectorsync/vectorsync.properties"))));
        Map<String, String> composeEnv = new HashMap<>();
        map(map(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("vectorsync")).get("environment"))
                .keySet().forEach(name -> composeEnv.put(name, "from-the-environment"));
        AppConfig local = AppConfigLoader.load(compose, false, composeEnv);
        assertThat(local.source().password()).isEqualTo("from-the-environment");
        assertThat(local.http().token()).isEqualTo("from-the-environment");
        assertThat(string(map(map(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("vectorsync"))
                .get("environment")).get("VECTORSYNC_HTTP_TOKEN"))).startsWith("${VECTORSYNC_HTTP_TOKEN:?");
        assertThat(local.http().host()).isEqualTo("0.0.0.0");
        assertThat(local.http().port()).isEqualTo(8080);
        assertThat(local.kafka().bootstrapServers()).isEqualTo("kafka:9092");

        Map<String, String> k8s = new LinkedHashMap<>(properties(string(map(manifest("configmap.yaml").get("data"))
                .get("vectorsync.properties"))));
        Map<String, String> podEnv = new HashMap<>();
        map(manifest("secret.example.yaml").get("stringData")).forEach((name, value) -> podEnv.put(name,
                "from-the-secret"));
        // The CA files the pod mounts from the Secret vectorsync-tls stand here as files of this run.
        List<String> mounts = new ArrayList<>();
        for (String role : ROLES) {
            for (Object c : list(map(map(map(manifest("deployment-" + role + ".yaml").get("spec")).get("template"))
                    .get("spec")).get("containers"))) {
                for (Object m : list(map(c).get("volumeMounts"))) {
                    mounts.add(string(map(m).get("mountPath")));
                }
            }
        }
        for (Map.Entry<String, String> e : k8s.entrySet()) {
            if (e.getKey().endsWith("sslrootcert") || e.getKey().endsWith("truststore.location")) {
                assertThat(mounts).as("%s reads %s from a mounted volume", e.getKey(), e.getValue())
                        .anySatisfy(m -> assertThat(e.getValue()).startsWith(m + "/"));
                Path stand = Files.createTempFile(tmp, "ca", ".crt");
                e.setValue(stand.toString());
            }
        }
        AppConfig cluster = AppConfigLoader.load(k8s, false, podEnv);
        assertThat(cluster.source().password()).isEqualTo("from-the-secret");
        assertThat(k8s).containsEntry("kafka.client.security.protocol", "SASL_SSL")
                .containsEntry("source.sslmode", "verify-full").containsEntry("sink.pgvector.sslmode", "verify-full");
        assertThat(cluster.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .hasEntrySatisfying("sasl.jaas.config", v -> assertThat(String.valueOf(v))
                        .contains("password=\"from-the-secret\""));
        assertThat(cluster.http().host()).isEqualTo("0.0.0.0");
        assertThat(cluster.mappings().collections().get(0).sinks()).contains(SinkName.PGVECTOR);
    }

    @Test
    void kubernetesManifestsAreNamespaceAgnosticAndEachRoleRunsInItsOwnProbedDeployment() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT.resolve("k8s"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        Set<String> kinds = new TreeSet<>();
        for (Path file : files) {
            Map<String, Object> doc = yaml(file);
            kinds.add(string(doc.get("kind")));
            if (!"Kustomization".equals(doc.get("kind"))) {
                assertThat(doc).as("%s", file).containsKeys("apiVersion", "kind", "metadata");
                assertThat(map(doc.get("metadata"))).as("%s", file).containsKey("name").doesNotContainKey("namespace");
            }
        }
        assertThat(kinds).contains("ConfigMap", "Secret", "Deployment", "Service", "PodMonitor", "PodDisruptionBudget",
                "Kustomization");
        for (Object resource : list(manifest("kustomization.yaml").get("resources"))) {
            assertThat(ROOT.resolve("k8s").resolve(string(resource))).isRegularFile();
        }

        for (String role : ROLES) {
            checkRoleDeployment(role);
        }
        // The API and the dashboard are the streams role's: the Service sends its traffic to the streams pods.
        assertThat(map(map(manifest("service.yaml").get("spec")).get("selector")))
                .containsEntry("app.kubernetes.io/component", "streams");
        // Each scaled role keeps one pod through a drain; the single connector gets no budget, which would block it.
        Set<String> budgeted = new TreeSet<>();
        for (Path file : files) {
            Map<String, Object> doc = yaml(file);
            if ("PodDisruptionBudget".equals(doc.get("kind"))) {
                Map<String, Object> spec = map(doc.get("spec"));
                assertThat(spec).as("%s", file).containsEntry("minAvailable", 1);
                String component = string(map(map(spec.get("selector")).get("matchLabels"))
                        .get("app.kubernetes.io/component"));
                assertThat(podLabels(component)).as("%s selects the %s pods", file, component)
                        .containsAllEntriesOf(stringMap(map(map(spec.get("selector")).get("matchLabels"))));
                budgeted.add(component);
            }
        }
        assertThat(budgeted).containsExactly("sink", "streams");
        // Prometheus Operator: every pod, with vectorsync's own instance label kept and the API token sent.
        Map<String, Object> endpoint = map(list(map(manifest("prometheus-operator/podmonitor.yaml").get("spec"))
                .get("podMetricsEndpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics")
                .containsEntry("honorLabels", true);
        assertThat(map(map(map(endpoint.get("authorization")).get("credentials")))).containsEntry("name",
                map(manifest("secret.example.yaml").get("metadata")).get("name"))
                .containsEntry("key", "VECTORSYNC_HTTP_TOKEN");
        assertThat(map(manifest("secret.example.yaml").get("stringData"))).containsKey("VECTORSYNC_HTTP_TOKEN");
    }

    /**
     * A role's Deployment runs that role alone, connector once (Recreate: the old pod gives up the replication slot
     * before the new one starts) and streams and sink twice; probes {@code /health} on the http port (every role
     * serves it); requests CPU and memory; mounts the config, the Secret and the CAs; is scraped by annotation.
     */
    private void checkRoleDeployment(String role) throws IOException {
        Map<String, Object> deployment = manifest("deployment-" + role + ".yaml");
        assertThat(deployment.get("kind")).isEqualTo("Deployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat(spec.get("replicas")).as(role).isEqualTo(role.equals("connector") ? 1 : 2);
        assertThat(map(spec.get("strategy")).get("type")).as(role)
                .isEqualTo(role.equals("connector") ? "Recreate" : "RollingUpdate");
        assertThat(stringMap(map(map(spec.get("selector")).get("matchLabels")))).as(role)
                .containsEntry("app.kubernetes.io/component", role);
        assertThat(podLabels(role)).containsAllEntriesOf(stringMap(map(map(spec.get("selector")).get("matchLabels"))));
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertThat(list(container.get("args"))).as(role).containsExactly(role);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(map(map(container.get(probe)).get("httpGet"))).as("%s %s", role, probe)
                    .containsEntry("path", "/health").containsEntry("port", "http");
        }
        Map<String, Object> requests = map(map(container.get("resources")).get("requests"));
        assertThat(requests).as(role).containsKeys("cpu", "memory");
        assertThat(map(map(container.get("resources")).get("limits"))).as(role).containsKey("memory");
        assertThat(list(container.get("ports"))).anySatisfy(p -> assertThat(map(p))
                .containsEntry("containerPort", 8080).containsEntry("name", "http"));
        Map<String, String> mounts = new HashMap<>();
        list(container.get("volumeMounts")).forEach(m -> mounts.put(string(map(m).get("name")),
                string(map(m).get("mountPath"))));
        assertThat(mounts).containsEntry("config", "/etc/vectorsync/config");
        assertThat(list(container.get("envFrom"))).anySatisfy(from -> assertThat(map(map(from).get("secretRef")))
                .containsEntry("name", map(manifest("secret.example.yaml").get("metadata")).get("name")));
        List<String> volumes = list(pod.get("volumes")).stream().map(v -> string(map(v).get("name"))).toList();
        assertThat(volumes).containsExactlyInAnyOrderElementsOf(mounts.keySet());
        Map<String, Map<String, Object>> byName = new HashMap<>();
        list(pod.get("volumes")).forEach(v -> byName.put(string(map(v).get("name")), map(v)));
        assertThat(map(byName.get("config").get("configMap"))).containsEntry("name",
                map(manifest("configmap.yaml").get("metadata")).get("name"));
        assertThat(map(byName.get("tls").get("secret"))).containsEntry("secretName",
                map(manifest("tls.example.yaml").get("metadata")).get("name"));
        Map<String, Object> annotations = map(map(spec.get("template")).get("metadata")).get("annotations") == null
                ? Map.of() : map(map(map(spec.get("template")).get("metadata")).get("annotations"));
        assertThat(annotations).as(role).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/metrics");
    }

    private static Map<String, String> podLabels(String role) throws IOException {
        return stringMap(map(map(map(map(manifest("deployment-" + role + ".yaml").get("spec")).get("template"))
                .get("metadata")).get("labels")));
    }

    private static Map<String, String> stringMap(Map<String, Object> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, string(v)));
        return out;
    }

    @Test
    void prometheusOnKubernetesSendsTheApiTokenFromTheSecretWhetherByPodMonitorOrByAnnotations()
            throws IOException {
        Map<String, Object> monitor = manifest("prometheus-operator/podmonitor.yaml");
        Map<String, Object> endpoint = map(list(map(monitor.get("spec")).get("podMetricsEndpoints")).get(0));
        assertThat(endpoint).containsEntry("path", "/metrics").containsEntry("port", "http");
        Map<String, Object> authorization = map(endpoint.get("authorization"));
        assertThat(authorization).containsEntry("type", "Bearer");
        Map<String, Object> credentials = map(authorization.get("credentials"));
        assertThat(credentials).containsEntry("name", map(manifest("secret.example.yaml").get("metadata")).get("name"))
                .containsEntry("key", "VECTORSYNC_HTTP_TOKEN");
        assertThat(map(manifest("secret.example.yaml").get("stringData"))).containsKey(string(credentials.get("key")));
        Map<String, String> config = properties(string(map(manifest("configmap.yaml").get("data"))
                .get("vectorsync.properties")));
        assertThat(config).containsEntry("http.token", "${env:" + credentials.get("key") + "}");

        // The annotations cannot carry a credential: the README gives the scrape job that honours them the token.
        String readme = Files.readString(ROOT.resolve("k8s/README.md"));
        Matcher snippet = Pattern.compile("```yaml\n# prometheus-scrape-job\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(snippet.find()).as("k8s/README.md has the annotation scrape job").isTrue();
        Object jobs = new Yaml(new SafeConstructor(new LoaderOptions())).load(snippet.group(1));
        Map<String, Object> job = map(list(jobs).get(0));
        assertThat(map(job.get("authorization"))).containsEntry("type", "Bearer")
                .hasEntrySatisfying("credentials_file", f -> assertThat(string(f)).endsWith("/VECTORSYNC_HTTP_TOKEN"));
        List<String> relabelled = list(job.get("relabel_configs")).stream()
                .flatMap(r -> list(map(r).get("source_labels")).stream().map(DeployFilesTest::string)).toList();
        for (String role : ROLES) {
            Map<String, Object> annotations = map(map(map(map(manifest("deployment-" + role + ".yaml").get("spec"))
                    .get("template")).get("metadata")).get("annotations"));
            for (String annotation : annotations.keySet()) {
                assertThat(relabelled).as("the job reads %s of the %s pods", annotation, role)
                        .contains("__meta_kubernetes_pod_annotation_" + annotation.replaceAll("[^A-Za-z0-9]", "_"));
            }
        }
        assertThat(job).containsEntry("honor_labels", true);
    }

    @Test
    void prometheusScrapesVectorsyncAndGrafanaIsProvisionedWithItsDashboard() throws IOException {
        Map<String, Object> prometheus = yaml(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Map<String, Object> job = map(list(prometheus.get("scrape_configs")).get(0));
        assertThat(job).containsEntry("metrics_path", "/metrics");
        assertThat(list(map(list(job.get("static_configs")).get(0)).get("targets"))).containsExactly("vectorsync:8080");
        assertThat(job).as("vectorsync's own instance label is kept").containsEntry("honor_labels", true);

        Map<String, Object> datasource = map(list(yaml(ROOT.resolve(
                "deploy/grafana/provisioning/datasources/prometheus.yaml")).get("datasources")).get(0));
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        Map<String, Object> provider = map(list(yaml(ROOT.resolve(
                "deploy/grafana/provisioning/dashboards/vectorsync.yaml")).get("providers")).get(0));
        String path = string(map(provider.get("options")).get("path"));
        assertThat(list(map(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("grafana"))
                .get("volumes"))).contains("./deploy/grafana/dashboards:" + path + ":ro");

        JsonNode dashboard = grafanaDashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("vectorsync");
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo(datasource.get("uid"));
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.path("expr").asText()).contains("vectorsync_"));
        }
        assertThat(titles).contains("End-to-end lag per sink", "Applied per sink", "Mode per collection", "Epoch",
                "Cutover gate", "Gate conditions", "Backfill progress", "DLQ records");
    }

    @Test
    void noCommittedDeploymentFileHoldsASecretEverySecretComesFromTheEnvironment() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        Map<String, Object> vectorsyncEnv = map(map(services.get("vectorsync")).get("environment"));
        Map<String, Map<String, String>> configurations = Map.of(
                "deploy/vectorsync/vectorsync.properties",
                properties(Files.readString(ROOT.resolve("deploy/vectorsync/vectorsync.properties"))),
                "k8s/configmap.yaml",
                properties(string(map(manifest("configmap.yaml").get("data")).get("vectorsync.properties"))));
        Set<String> secretKeys = new TreeSet<>();
        io.vectorsync.app.config.ConfigKeys.bySection().values().forEach(keys -> keys.stream()
                .filter(k -> k.secret()).forEach(k -> secretKeys.add(k.name())));
        Map<String, Object> secret = map(manifest("secret.example.yaml").get("stringData"));

        List<String> literals = new ArrayList<>();
        configurations.forEach((file, config) -> config.forEach((key, value) -> {
            if (secretKeys.contains(key) && !value.isEmpty() && !ENV_REFERENCE.matcher(value).matches()) {
                literals.add(file + ": " + key);
            }
            Matcher reference = ENV_REFERENCE.matcher(value);
            while (reference.find()) { // anywhere in the value: a jaas config embeds its password
                Set<String> given = file.startsWith("k8s/") ? secret.keySet() : vectorsyncEnv.keySet();
                assertThat(given).as("%s: %s reads ${env:%s}, which is given", file, key, reference.group(1))
                        .contains(reference.group(1));
            }
        }));
        secret.forEach((name, value) -> {
            if (!string(value).isEmpty()) {
                literals.add("k8s/secret.example.yaml: " + name);
            }
        });
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object env = map(service.getValue()).get("environment");
            map(env == null ? Map.of() : env).forEach((name, value) -> {
                if (SECRET_NAME.matcher(name).find() && !COMPOSE_REQUIRED.matcher(string(value)).matches()) {
                    literals.add("docker-compose.yml: " + service.getKey() + " " + name);
                }
            });
        }

        assertThat(secretKeys).contains("source.password", "sink.pgvector.password");
        assertThat(literals).as("secrets written into committed files; take them from the environment").isEmpty();
    }

    /** The metric names the Grafana dashboard's PromQL uses, e.g. {@code vectorsync_sink_written_total}. */
    static Set<String> grafanaMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : grafanaDashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private static JsonNode grafanaDashboard() throws IOException {
        return Json.read(Files.readString(ROOT.resolve("deploy/grafana/dashboards/vectorsync.json")), JsonNode.class);
    }

    private static Map<String, Object> manifest(String name) throws IOException {
        return yaml(ROOT.resolve("k8s").resolve(name));
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        assertThat(doc).as("%s is a YAML mapping", file).isInstanceOf(Map.class);
        return map(doc);
    }

    static Map<String, String> properties(String text) throws IOException {
        return AppConfigLoader.read(new StringReader(text));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    static String string(Object o) {
        assertThat(o).isNotNull();
        return o.toString();
    }
}
