/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.operators.InputFormat;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks docker/ statically, since the build machine has no Docker engine: the compose file against the Dockerfile,
 * the job's option parser, the operator's metrics, the Prometheus and Grafana files and the Maven build outputs the
 * images copy. An integration test because those outputs (the job jar, {@code target/flink-lib}) exist only after
 * {@code package}.
 */
class ComposeConsistencyIT {
    private static final Path REPO = repositoryRoot();
    private static final Path DOCKER = REPO.resolve("docker");
    private static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    /** Engine packages whose classes must come from Flink's lib/, parent-first (docs/DEPLOYMENT.md, "Submitting to a cluster"). */
    private static final List<String> ENGINE_PACKAGES = List.of("ai/djl/", "ai/onnxruntime/", "com/sun/jna/");

    private static final Set<String> DEPENDS_ON_CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final String PROMETHEUS_REPORTER = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final String GPU_DRIVER_FACTORY = "org.apache.flink.externalresource.gpu.GPUDriverFactory";
    private static final Pattern TAGGED_IMAGE =
            Pattern.compile("[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?");

    private static Map<String, Service> services;
    private static DockerfileModel dockerfile;

    @BeforeAll
    static void load() throws IOException {
        Map<String, Object> compose = yaml(DOCKER.resolve("docker-compose.yml"));
        assertThat(compose).as("Compose spec files have no version key").doesNotContainKey("version");
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, spec) -> services.put(name, new Service(name, map(spec))));
        dockerfile = DockerfileModel.parse(DOCKERFILE);
    }

    @Test
    void everyServiceRunsAPinnedImageOrATargetOfOurDockerfile() {
        for (Service service : services.values()) {
            Optional<Map<String, Object>> build = service.build();
            if (build.isPresent()) {
                Path context = DOCKER.resolve(String.valueOf(build.get().get("context")))
                        .normalize();
                assertThat(context).as(service + " build context").isEqualTo(REPO);
                assertThat(context.resolve(String.valueOf(build.get().get("dockerfile")))
                                .normalize())
                        .as(service + " dockerfile")
                        .isEqualTo(DOCKERFILE);
                assertThat(dockerfile.stages())
                        .as(service + " build target")
                        .containsKey(String.valueOf(build.get().get("target")));
            } else {
                assertThat(service.image())
                        .as(service + " needs an image or a build")
                        .isPresent();
                assertPinned(service.image().get(), service.toString());
            }
        }
        dockerfile.stages().values().stream()
                .filter(stage -> !dockerfile.stages().containsKey(stage.from()))
                .forEach(stage -> assertPinned(stage.from(), "Dockerfile stage " + stage.name()));
    }

    @Test
    void everyBindMountedHostPathExists() {
        List<Mount> mounts =
                services.values().stream().flatMap(s -> s.binds().stream()).toList();
        assertThat(mounts)
                .as("the stack mounts its configuration and data files")
                .isNotEmpty();
        for (Mount mount : mounts) {
            assertThat(mount.host()).as(mount.toString()).exists();
            assertThat(mount.host().startsWith(REPO))
                    .as(mount + " stays inside the repository")
                    .isTrue();
        }
    }

    @Test
    void dependenciesNameServicesWithValidConditionsAndHealthchecks() {
        for (Service service : services.values()) {
            service.dependsOn().forEach((target, condition) -> {
                assertThat(services).as(service + " depends on a service").containsKey(target);
                assertThat(DEPENDS_ON_CONDITIONS)
                        .as(service + " -> " + target + " condition")
                        .contains(condition);
                if (condition.equals("service_healthy")) {
                    assertThat(services.get(target).hasHealthcheck())
                            .as(target + " has a healthcheck")
                            .isTrue();
                }
                if (service.profiles().isEmpty()) {
                    // `docker compose up` without profiles would fail on a dependency it does not start.
                    assertThat(services.get(target).profiles())
                            .as(service + " depends on profiled " + target)
                            .isEmpty();
                }
            });
        }
    }

    @Test
    void publishedHostPortsAreDistinct() {
        List<Integer> published = services.values().stream()
                .flatMap(s -> s.ports().stream())
                .map(PortMapping::published)
                .flatMap(Optional::stream)
                .toList();
        assertThat(published).isNotEmpty().doesNotHaveDuplicates();
        Service jobManager = services.get("jobmanager");
        int restPort = flinkConfiguration(jobManager).get(RestOptions.PORT);
        assertThat(jobManager.ports())
                .as("the Flink UI is published")
                .anyMatch(p -> p.target() == restPort && p.published().isPresent());
    }

    @Test
    void everyFlinkServiceLoadsTheEngineJarsParentFirst() throws IOException {
        List<Service> flinkServices = flinkServices();
        assertThat(flinkServices)
                .extracting(Service::name)
                .contains("jobmanager", "taskmanager", "taskmanager-gpu", "heed-submit");
        Set<String> enginePrefixes = new HashSet<>();
        for (Service service : flinkServices) {
            List<String> patterns =
                    flinkConfiguration(service).get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL);
            assertThat(patterns)
                    .as(service + " parent-first patterns")
                    .containsAll(ENGINE_PACKAGES.stream()
                            .map(p -> p.replace('/', '.'))
                            .toList());
            enginePrefixes.addAll(patterns);
        }
        // The job jar carries the engine classes too; every one of them must exist in lib/, or it would be
        // loaded parent-first from nowhere.
        Set<String> libClasses = new HashSet<>();
        try (Stream<Path> jars = Files.list(flinkLib())) {
            for (Path jar : jars.toList()) {
                libClasses.addAll(classes(jar));
            }
        }
        Set<String> jobEngineClasses = classes(jobJar()).stream()
                .filter(c -> enginePrefixes.stream()
                        .anyMatch(p -> c.replace('/', '.').startsWith(p)))
                .collect(Collectors.toSet());
        assertThat(jobEngineClasses).as("engine classes in the job jar").isNotEmpty();
        assertThat(libClasses)
                .as("flink-lib holds every engine class of the job jar")
                .containsAll(jobEngineClasses);
    }

    @Test
    void copySourcesOfTheCpuTargetAreBuilt() {
        for (String source : dockerfile.stages().get("cpu").copySources()) {
            assertThat(REPO.resolve(source)).as("cpu COPY source " + source).exists();
        }
        assertThat(jarNames(flinkLib()))
                .as("engine jars in " + flinkLib())
                .anyMatch(n -> n.matches("onnxruntime-\\d.*\\.jar"))
                .anyMatch(n -> n.matches("onnxruntime-engine-.*\\.jar"))
                .anyMatch(n -> n.matches("api-.*\\.jar"))
                .anyMatch(n -> n.matches("tokenizers-.*\\.jar"))
                .anyMatch(n -> n.matches("jna-.*\\.jar"))
                .anyMatch(n -> n.matches("gson-.*\\.jar"));
    }

    @Test
    void theGpuTargetCopiesWhatTheGpuProfileBuilds() throws Exception {
        String gpuLibDir = REPO.relativize(gpuProfileFlinkLibDir()).toString();
        assertThat(dockerfile.stages().get("gpu").copySources()).contains(gpuLibDir + "/");
        // The gpu profile of the parent POM is what puts ONNX Runtime's CUDA build into that directory.
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(REPO.resolve("pom.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("/project/profiles/profile[id='gpu']/properties/onnxruntime.artifactId", pom))
                .isEqualTo("onnxruntime_gpu");
        assertThat(xpath.evaluate("/project/properties/onnxruntime.artifactId", pom))
                .isEqualTo("onnxruntime");
        // Where the GPU set has been built (mvn -B -Pgpu -pl flink-jobs/job -am -DskipTests package), check it too.
        Path gpuLib = REPO.resolve(gpuLibDir);
        if (Files.isDirectory(gpuLib)) {
            assertThat(jarNames(gpuLib))
                    .as("ONNX Runtime's GPU build replaces the CPU one")
                    .anyMatch(n -> n.startsWith("onnxruntime_gpu-"))
                    .noneMatch(n -> n.matches("onnxruntime-\\d.*\\.jar"));
        }
    }

    @Test
    void everyCopySourceIsInTheBuildContext() throws IOException {
        List<String> allowed = Files.readAllLines(DOCKER.resolve("Dockerfile.dockerignore")).stream()
                .filter(line -> line.startsWith("!"))
                .map(line -> line.substring(1))
                .toList();
        for (Stage stage : dockerfile.stages().values()) {
            for (String source : stage.copySources()) {
                Path path = Path.of(source);
                boolean included = allowed.stream().anyMatch(glob -> {
                    var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                    for (Path p = path; p != null; p = p.getParent()) {
                        if (matcher.matches(p)) {
                            return true;
                        }
                    }
                    return false;
                });
                assertThat(included)
                        .as(source + " is re-included by Dockerfile.dockerignore")
                        .isTrue();
            }
        }
    }

    @Test
    void theGpuTaskManagerReservesAGpuAndDeclaresItToFlink() {
        Service gpu = services.get("taskmanager-gpu");
        assertThat(gpu.profiles()).containsExactly("gpu");
        assertThat(gpu.build().orElseThrow().get("target")).isEqualTo("gpu");
        assertThat(services.get("taskmanager").build().orElseThrow().get("target"))
                .isEqualTo("cpu");
        List<Map<String, Object>> devices =
                list(path(gpu.spec(), "deploy", "resources", "reservations", "devices")).stream()
                        .map(ComposeConsistencyIT::map)
                        .toList();
        assertThat(devices).anySatisfy(device -> {
            assertThat(device.get("driver")).isEqualTo("nvidia");
            assertThat(list(device.get("capabilities"))).contains("gpu");
        });
        Configuration conf = flinkConfiguration(gpu);
        assertThat(conf.get(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST)).contains("gpu");
        Map<String, String> settings = conf.toMap();
        assertThat(settings.get(ExternalResourceOptions.getExternalResourceDriverFactoryConfigOptionForResource("gpu")))
                .isEqualTo(GPU_DRIVER_FACTORY);
        assertThat(Long.parseLong(settings.get(ExternalResourceOptions.getAmountConfigOptionForResource("gpu"))))
                .isPositive();
    }

    @Test
    void topicsBrokersAndFormatAgreeWithTheJobOptions() {
        Service submit = services.get("heed-submit");
        String[] args = submit.environment().get("HEED_JOB_ARGS").trim().split("\\s+");
        // The job's own parser: an unknown option or a bad value throws, naming it.
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(args);
        assertThat(submit.commandText()).contains("flink run -d " + jobJarInImage(submit) + " $$HEED_JOB_ARGS");

        Service init = services.get("kafka-init");
        assertThat(init.commandText()).contains("$$HEED_TOPICS");
        assertThat(init.environment().get("HEED_TOPICS").trim().split("\\s+"))
                .containsExactlyInAnyOrder(options.inputTopic(), options.outputTopic(), options.deadLetterTopic());
        assertThat(submit.dependsOn()).containsEntry("kafka-init", "service_completed_successfully");

        Service producer = services.get("producer");
        assertThat(producer.commandText()).contains("--topic \"$$HEED_INPUT_TOPIC\"");
        assertThat(producer.environment().get("HEED_INPUT_TOPIC")).isEqualTo(options.inputTopic());
        assertThat(producer.dependsOn()).containsEntry("kafka-init", "service_completed_successfully");
        assertThat(options.format()).as("the producer writes JSON lines").isEqualTo(InputFormat.JSON);

        Map<String, String> kafka = services.get("kafka").environment();
        assertThat(List.of(options.brokers().split(",")))
                .allSatisfy(broker ->
                        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + broker));
        for (String client : List.of("kafka-init", "producer")) {
            assertThat(services.get(client).commandText()).contains("--bootstrap-server " + options.brokers());
        }
    }

    @Test
    void theProducerFilesDecodeWithTheJobsJsonDecoder() throws Exception {
        Service producer = services.get("producer");
        List<Mount> files = producer.binds();
        assertThat(files).isNotEmpty();
        JsonInput input =
                new JsonInput(EnrichmentJobOptions.builder().build().settings().maxTextBytes());
        int accepted = 0;
        for (Mount file : files) {
            assertThat(producer.commandText())
                    .as("the producer sends " + file.container())
                    .contains(file.container());
            // kafka-console-producer sends one record per line, an empty line as an empty record.
            List<String> lines = Files.readAllLines(file.host(), StandardCharsets.UTF_8);
            assertThat(lines).as(file.host().toString()).isNotEmpty().noneMatch(String::isEmpty);
            boolean broken = file.host().getFileName().toString().startsWith("broken");
            for (String line : lines) {
                Optional<String> rejection = input.rejection(line.getBytes(StandardCharsets.UTF_8));
                if (broken) {
                    assertThat(rejection).as("dead-lettered: " + line).isPresent();
                } else {
                    assertThat(rejection).as("enriched: " + line).isEmpty();
                    accepted++;
                }
            }
        }
        assertThat(accepted).as("sample texts sent").isPositive();
    }

    @Test
    void prometheusScrapesTheFlinkReporterOfEveryFlinkProcess() throws IOException {
        Service prometheus = services.get("prometheus");
        Map<String, Object> config = yaml(prometheus.hostPath("/etc/prometheus/prometheus.yml"));
        Map<String, Integer> scraped = new HashMap<>();
        for (Object job : list(config.get("scrape_configs"))) {
            for (Object dns : list(map(job).getOrDefault("dns_sd_configs", List.of()))) {
                int port = (Integer) map(dns).get("port");
                list(map(dns).get("names")).forEach(name -> scraped.put(String.valueOf(name), port));
            }
            for (Object statics : list(map(job).getOrDefault("static_configs", List.of()))) {
                for (Object target : list(map(statics).get("targets"))) {
                    String[] hostPort = String.valueOf(target).split(":");
                    scraped.put(hostPort[0], Integer.parseInt(hostPort[1]));
                }
            }
        }
        assertThat(services)
                .as("scrape targets are services")
                .containsKeys(scraped.keySet().toArray(String[]::new));
        for (Service service : flinkServices()) {
            if (service.name().equals("heed-submit")) {
                continue; // a client, not a Flink process
            }
            Configuration reporter = prometheusReporter(flinkConfiguration(service));
            assertThat(scraped)
                    .as(service + " scraped on its reporter port")
                    .containsEntry(
                            service.name(), Integer.parseInt(reporter.toMap().get("port")));
        }
    }

    @Test
    void grafanaIsProvisionedWithTheHeedDashboardOverPrometheus() throws IOException {
        Service grafana = services.get("grafana");
        Path provisioning = grafana.hostPath("/etc/grafana/provisioning");
        Set<String> datasourceUids = new HashSet<>();
        try (Stream<Path> files = Files.list(provisioning.resolve("datasources"))) {
            for (Path file : files.toList()) {
                for (Object source : list(yaml(file).get("datasources"))) {
                    Map<String, Object> datasource = map(source);
                    assertThat(datasource.get("url")).isEqualTo("http://prometheus:" + containerPort("prometheus"));
                    datasourceUids.add(String.valueOf(datasource.get("uid")));
                }
            }
        }
        List<Path> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(provisioning.resolve("dashboards"))) {
            for (Path file : files.toList()) {
                for (Object provider : list(yaml(file).get("providers"))) {
                    Path folder = grafana.hostPath(
                            String.valueOf(map(map(provider).get("options")).get("path")));
                    try (Stream<Path> json = Files.list(folder)) {
                        json.filter(p -> p.toString().endsWith(".json")).forEach(dashboards::add);
                    }
                }
            }
        }
        assertThat(dashboards).isNotEmpty();
        assertThat(grafana.hostPath(grafana.environment().get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")))
                .exists();

        Set<String> known = HeedMetrics.prometheusNames();
        List<String> queried = new ArrayList<>();
        for (Path dashboard : dashboards) {
            for (JsonNode panel :
                    new ObjectMapper().readTree(dashboard.toFile()).get("panels")) {
                assertThat(datasourceUids)
                        .as(panel.get("title") + " datasource")
                        .contains(panel.get("datasource").get("uid").asText());
                for (JsonNode target : panel.get("targets")) {
                    queried.addAll(HeedMetrics.metricsIn(target.get("expr").asText(), known));
                }
            }
        }
        assertThat(queried).as("queried metrics").isNotEmpty();
        assertThat(known).as("metrics EnrichmentMetrics registers").containsAll(queried);
        assertThat(queried)
                .as("the dashboard shows throughput, latency, batches, in-flight and dead letters")
                .contains(
                        "flink_taskmanager_job_task_operator_heed_recordsIn",
                        "flink_taskmanager_job_task_operator_heed_recordsEnriched",
                        "flink_taskmanager_job_task_operator_heed_inferenceLatencyMs",
                        "flink_taskmanager_job_task_operator_heed_batchSize",
                        "flink_taskmanager_job_task_operator_heed_inFlightBatches",
                        "flink_taskmanager_job_task_operator_heed_recordsDeadLettered");
    }

    @Test
    void theMetricNamesFollowTheOperatorsRegistrations() {
        // Guards HeedMetrics itself: one name per dead-letter reason, histograms with their _count series.
        Set<String> names = HeedMetrics.prometheusNames();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(names).contains("flink_taskmanager_job_task_operator_heed_deadLettered_" + reason.name());
        }
        assertThat(names)
                .contains("flink_taskmanager_job_task_operator_heed_batchSize_count")
                .doesNotContain("flink_taskmanager_job_task_operator_heed_recordsIn_count");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<Service> flinkServices() {
        return services.values().stream().filter(s -> s.build().isPresent()).toList();
    }

    /** The Flink configuration a container runs with: its image target's config.yaml edits, then FLINK_PROPERTIES. */
    private static Configuration flinkConfiguration(Service service) {
        Map<String, String> conf = new HashMap<>(dockerfile.flinkConfig(
                String.valueOf(service.build().orElseThrow().get("target"))));
        String properties = service.environment().getOrDefault("FLINK_PROPERTIES", "");
        // As docker-entrypoint.sh reads it: one "key: value" a line, split at the first colon.
        for (String line : properties.split("\n")) {
            int colon = line.indexOf(':');
            if (!line.isBlank()) {
                assertThat(colon).as("FLINK_PROPERTIES line " + line).isPositive();
                conf.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        return Configuration.fromMap(conf);
    }

    private static Configuration prometheusReporter(Configuration conf) {
        Pattern factory = Pattern.compile("metrics\\.reporter\\.([^.]+)\\.factory\\.class");
        for (Map.Entry<String, String> entry : conf.toMap().entrySet()) {
            Matcher matcher = factory.matcher(entry.getKey());
            if (matcher.matches() && entry.getValue().equals(PROMETHEUS_REPORTER)) {
                String prefix = "metrics.reporter." + matcher.group(1) + ".";
                Map<String, String> reporter = new HashMap<>();
                conf.toMap().forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        reporter.put(k.substring(prefix.length()), v);
                    }
                });
                assertThat(reporter).as("the reporter's port is set explicitly").containsKey("port");
                return Configuration.fromMap(reporter);
            }
        }
        return fail("no Prometheus reporter configured in " + conf);
    }

    private static String jobJarInImage(Service service) {
        Stage stage = dockerfile
                .stages()
                .get(String.valueOf(service.build().orElseThrow().get("target")));
        return stage.copies().stream()
                .filter(c -> c.sources().stream().anyMatch(s -> s.endsWith("-job.jar")))
                .map(Copy::destination)
                .findFirst()
                .orElseGet(() -> fail("no job jar copied in " + stage.name()));
    }

    private static int containerPort(String service) {
        return services.get(service).ports().stream()
                .findFirst()
                .map(PortMapping::target)
                .orElseGet(() -> fail(service + " publishes no port"));
    }

    private static Path flinkLib() {
        return REPO.resolve("flink-jobs/job/target/flink-lib");
    }

    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("flink-jobs/job/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseGet(() -> fail("no job jar: run mvn package first"));
        }
    }

    /** heed.flink-lib.dir as the flink-jobs pom's gpu profile sets it. */
    private static Path gpuProfileFlinkLibDir() throws Exception {
        var document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(REPO.resolve("flink-jobs/job/pom.xml").toFile());
        var profiles = document.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (profile.getElementsByTagName("id").item(0).getTextContent().equals("gpu")) {
                String dir = profile.getElementsByTagName("heed.flink-lib.dir")
                        .item(0)
                        .getTextContent();
                return REPO.resolve("flink-jobs/job").resolve(dir.replace("${project.build.directory}", "target"));
            }
        }
        return fail("flink-jobs/job/pom.xml has no gpu profile");
    }

    private static List<String> jarNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> classes(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .collect(Collectors.toSet());
        }
    }

    private static void assertPinned(String image, String what) {
        assertThat(image).as(what + " image").matches(TAGGED_IMAGE);
        String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertThat(tag).as(what + " image tag").isNotEmpty().isNotEqualTo("latest");
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "docker/docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = map(node).get(key);
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One service of the compose file, in the syntax this repository uses (short and long forms where common). */
    private record Service(String name, Map<String, Object> spec) {
        @SuppressWarnings("unchecked")
        Optional<Map<String, Object>> build() {
            return Optional.ofNullable((Map<String, Object>) spec.get("build"));
        }

        Optional<String> image() {
            return Optional.ofNullable((String) spec.get("image"));
        }

        List<String> profiles() {
            return list(spec.getOrDefault("profiles", List.of())).stream()
                    .map(String::valueOf)
                    .toList();
        }

        boolean hasHealthcheck() {
            Object test = spec.get("healthcheck") == null
                    ? null
                    : map(spec.get("healthcheck")).get("test");
            return test != null && !List.of("NONE").equals(test);
        }

        Map<String, String> environment() {
            Object env = spec.getOrDefault("environment", Map.of());
            Map<String, String> result = new LinkedHashMap<>();
            if (env instanceof List<?> entries) {
                entries.forEach(e -> {
                    String[] kv = String.valueOf(e).split("=", 2);
                    result.put(kv[0], kv.length > 1 ? kv[1] : "");
                });
            } else {
                map(env).forEach((k, v) -> result.put(k, String.valueOf(v)));
            }
            return result;
        }

        /** depends_on as target -> condition (the list form means service_started). */
        Map<String, String> dependsOn() {
            Object deps = spec.getOrDefault("depends_on", Map.of());
            Map<String, String> result = new LinkedHashMap<>();
            if (deps instanceof List<?> names) {
                names.forEach(n -> result.put(String.valueOf(n), "service_started"));
            } else {
                map(deps).forEach((k, v) -> result.put(k, String.valueOf(map(v).get("condition"))));
            }
            return result;
        }

        List<Mount> binds() {
            List<Mount> mounts = new ArrayList<>();
            for (Object volume : list(spec.getOrDefault("volumes", List.of()))) {
                if (volume instanceof String shortForm) {
                    String[] parts = shortForm.split(":");
                    if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                        mounts.add(new Mount(DOCKER.resolve(parts[0]).normalize(), parts[1]));
                    }
                } else if ("bind".equals(map(volume).get("type"))) {
                    mounts.add(new Mount(
                            DOCKER.resolve(String.valueOf(map(volume).get("source")))
                                    .normalize(),
                            String.valueOf(map(volume).get("target"))));
                }
            }
            return mounts;
        }

        /** The host path behind a container path, through this service's bind mounts. */
        Path hostPath(String containerPath) {
            for (Mount mount : binds()) {
                if (containerPath.equals(mount.container()) || containerPath.startsWith(mount.container() + "/")) {
                    String below =
                            containerPath.substring(mount.container().length()).replaceFirst("^/", "");
                    return mount.host().resolve(below);
                }
            }
            return fail(name + " mounts nothing at " + containerPath);
        }

        List<PortMapping> ports() {
            List<PortMapping> ports = new ArrayList<>();
            for (Object port : list(spec.getOrDefault("ports", List.of()))) {
                if (port instanceof Map<?, ?> longForm) {
                    Object published = longForm.get("published");
                    ports.add(new PortMapping(
                            Optional.ofNullable(published).map(p -> Integer.parseInt(p.toString())),
                            Integer.parseInt(longForm.get("target").toString())));
                } else {
                    String[] parts =
                            String.valueOf(port).replaceFirst("/(tcp|udp)$", "").split(":");
                    int target = Integer.parseInt(parts[parts.length - 1]);
                    Optional<Integer> published = parts.length > 1
                            ? Optional.of(Integer.parseInt(parts[parts.length - 2]))
                            : Optional.empty();
                    ports.add(new PortMapping(published, target));
                }
            }
            return ports;
        }

        /** entrypoint and command as one text, for checking what a one-shot service runs. */
        String commandText() {
            return Stream.of(spec.get("entrypoint"), spec.get("command"))
                    .filter(c -> c != null)
                    .map(c -> c instanceof List<?> parts
                            ? parts.stream().map(String::valueOf).collect(Collectors.joining(" "))
                            : String.valueOf(c))
                    .collect(Collectors.joining(" "))
                    .replaceAll("\\\\\\n\\s*", "")
                    .replaceAll("[ \\t]+", " ");
        }

        @Override
        public String toString() {
            return "service " + name;
        }
    }

    private record Mount(Path host, String container) {}

    private record PortMapping(Optional<Integer> published, int target) {}

    private record Copy(List<String> sources, String destination) {}

    private record Stage(String name, String from, List<Copy> copies, Map<String, String> flinkConfig) {
        /** Sources from the build context (COPY --from copies between stages and is left out). */
        List<String> copySources() {
            return copies.stream().flatMap(c -> c.sources().stream()).toList();
        }
    }

    /** The parts of docker/Dockerfile the checks need: stages, their context COPYs and their config.yaml edits. */
    private record DockerfileModel(Map<String, Stage> stages) {
        private static final Pattern FROM = Pattern.compile(
                "FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
        private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

        static DockerfileModel parse(Path file) throws IOException {
            String text = Files.readString(file).replaceAll("\\\\\\n", " ");
            Map<String, String> globalArgs = new HashMap<>();
            Map<String, Stage> stages = new LinkedHashMap<>();
            String stageName = null;
            String from = null;
            List<Copy> copies = new ArrayList<>();
            Map<String, String> config = new LinkedHashMap<>();
            Set<String> stageArgs = new HashSet<>();
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String instruction = line.split("\\s+", 2)[0].toUpperCase();
                String rest = line.substring(instruction.length()).strip();
                Matcher fromMatcher = FROM.matcher(line);
                if (fromMatcher.matches()) {
                    if (stageName != null) {
                        stages.put(stageName, new Stage(stageName, from, copies, config));
                    }
                    from = fromMatcher.group(1);
                    stageName = fromMatcher.group(2) == null ? "stage-" + stages.size() : fromMatcher.group(2);
                    copies = new ArrayList<>();
                    // A stage built FROM another stage starts with that stage's configuration.
                    config = new LinkedHashMap<>(
                            stages.containsKey(from) ? stages.get(from).flinkConfig() : Map.of());
                    stageArgs = new HashSet<>();
                } else if (instruction.equals("ARG")) {
                    String[] kv = rest.split("=", 2);
                    if (stageName == null) {
                        globalArgs.put(kv[0], kv.length > 1 ? kv[1].replaceAll("^\"|\"$", "") : "");
                    } else {
                        stageArgs.add(kv[0]);
                    }
                } else if (instruction.equals("COPY") && !rest.contains("--from")) {
                    List<String> parts = Arrays.stream(rest.split("\\s+"))
                            .filter(p -> !p.startsWith("--"))
                            .toList();
                    copies.add(new Copy(parts.subList(0, parts.size() - 1), parts.get(parts.size() - 1)));
                } else if (instruction.equals("RUN") && rest.contains("config-parser-utils.sh")) {
                    Set<String> visible = stageArgs;
                    String expanded = VARIABLE.matcher(rest)
                            .replaceAll(m -> Matcher.quoteReplacement(
                                    visible.contains(m.group(1))
                                            ? globalArgs.getOrDefault(m.group(1), "")
                                            : m.group()));
                    for (String token : expanded.split("\\s+")) {
                        if (token.startsWith("-D")) {
                            String[] kv = token.substring(2).split("=", 2);
                            config.put(kv[0], kv[1]);
                        }
                    }
                }
            }
            if (stageName != null) {
                stages.put(stageName, new Stage(stageName, from, copies, config));
            }
            return new DockerfileModel(stages);
        }

        Map<String, String> flinkConfig(String stage) {
            assertThat(stages).containsKey(stage);
            return stages.get(stage).flinkConfig();
        }
    }

    /**
     * The Prometheus names of the metrics {@code EnrichmentMetrics} registers, found by letting it register them on a
     * real (unregistered) operator metric group, so a renamed metric or group breaks this test rather than the
     * dashboard. EnrichmentMetrics is package-private in heed-operators, hence reflection.
     */
    private static final class HeedMetrics {
        private static final Pattern METRIC_NAME = Pattern.compile("flink_[A-Za-z0-9_:]+");
        private static final Pattern NAME_REGEX = Pattern.compile("__name__\\s*=~\\s*\"([^\"]+)\"");
        /** The Prometheus reporter's character filter (AbstractPrometheusReporter#replaceInvalidChars). */
        private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9:_]");

        static Set<String> prometheusNames() {
            Set<String> names = new TreeSet<>();
            MetricGroup operatorGroup = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();
            IntSupplier zero = () -> 0;
            try {
                Constructor<?> constructor = Class.forName("io.heed.operators.EnrichmentMetrics")
                        .getDeclaredConstructor(MetricGroup.class, IntSupplier.class, IntSupplier.class);
                constructor.setAccessible(true);
                constructor.newInstance(recording(operatorGroup, names), zero, zero);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("EnrichmentMetrics changed its constructor; update this test", e);
            }
            assertThat(names).isNotEmpty();
            return names;
        }

        /** Metric names an expression queries: plain names, and every known name a {@code __name__=~} regex selects. */
        static List<String> metricsIn(String expr, Set<String> known) {
            List<String> names = new ArrayList<>();
            Matcher regex = NAME_REGEX.matcher(expr);
            while (regex.find()) {
                Pattern selector = Pattern.compile(regex.group(1)); // PromQL regexes are anchored, like matches()
                List<String> selected = known.stream()
                        .filter(n -> selector.matcher(n).matches())
                        .toList();
                assertThat(selected).as("metrics selected by " + regex.group(1)).isNotEmpty();
                names.addAll(selected);
            }
            Matcher plain = METRIC_NAME.matcher(NAME_REGEX.matcher(expr).replaceAll(""));
            while (plain.find()) {
                names.add(plain.group());
            }
            return names;
        }

        /** Passes every call to the real group and records what is registered, under Prometheus' naming rule. */
        private static MetricGroup recording(MetricGroup real, Set<String> names) {
            return (MetricGroup) Proxy.newProxyInstance(
                    MetricGroup.class.getClassLoader(), new Class<?>[] {MetricGroup.class}, (proxy, method, args) -> {
                        Object result = invoke(method, real, args);
                        String kind = method.getName();
                        if (kind.equals("addGroup")) {
                            assertThat(args)
                                    .as("key-value groups become labels, not names")
                                    .hasSize(1);
                            return recording((MetricGroup) result, names);
                        }
                        if (Set.of("counter", "gauge", "histogram", "meter").contains(kind)) {
                            // The scope as the reporter asks for it (FrontMetricGroup delegates to this call).
                            String name = "flink_"
                                    + ((AbstractMetricGroup<?>) real)
                                            .getLogicalScope(
                                                    s -> INVALID.matcher(s).replaceAll("_"), '_')
                                    + "_"
                                    + INVALID.matcher(String.valueOf(args[0])).replaceAll("_");
                            names.add(name);
                            if (kind.equals("histogram")) {
                                names.add(name + "_count"); // the reporter's summary also exports the count
                            }
                        }
                        return result;
                    });
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * The job's JSON input path for one record: the JSON deserializer the job uses, then InputValidation
     * (package-private in heed-operators, hence reflection).
     */
    private static final class JsonInput {
        private final DeserializationSchema<TextEvent> decoder = InputFormat.JSON.deserializer(null);
        private final Object validation;
        private final Method check;

        JsonInput(int maxTextBytes) throws ReflectiveOperationException {
            Class<?> validationClass = Class.forName("io.heed.operators.InputValidation");
            Constructor<?> constructor = validationClass.getDeclaredConstructor(int.class);
            constructor.setAccessible(true);
            validation = constructor.newInstance(maxTextBytes);
            check = validationClass.getDeclaredMethod("check", TextEvent.class);
            check.setAccessible(true);
        }

        /** Why the job would dead-letter the record, or empty when it would enrich it. */
        Optional<String> rejection(byte[] payload) throws ReflectiveOperationException {
            TextEvent event;
            try {
                event = decoder.deserialize(payload);
            } catch (java.io.IOException e) {
                return Optional.of("UNDECODABLE: " + e.getMessage());
            }
            return ((Optional<?>) check.invoke(validation, event)).map(String::valueOf);
        }
    }
}
