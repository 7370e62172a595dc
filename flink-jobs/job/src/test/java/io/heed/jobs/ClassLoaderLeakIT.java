/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.operators.EnrichmentSettings;
import io.heed.operators.HeedEnrichment;
import io.heed.operators.RawRecord;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The job leaves nothing behind in a TaskManager that outlives it: after several jobs have run on one MiniCluster
 * TaskManager, half of them finished and half cancelled, every job's user-code class loader (and with it every Heed
 * class, the model, its threads and the metrics it registered) can be garbage-collected.
 *
 * <p>Set up like the documented cluster: each job ships the real job jar (built at package phase, which is why this is
 * an integration test), so Flink gives each job its own child-first user-code class loader and Heed's classes load from
 * that jar, not from the test class path, while the engine packages (DJL, ONNX Runtime, JNA) are parent-first, as
 * {@code classloader.parent-first-patterns.additional} makes them on a cluster with the engine jars in {@code lib/}.
 * A probe inside each job checks where its classes came from, so the test cannot pass by loading Heed from the wrong
 * place.
 */
class ClassLoaderLeakIT {
    /** Jobs run one after the other on the same TaskManager; odd ones are cancelled while running (cancel/submit). */
    private static final int LIFECYCLES = 4;

    /** The packages docs/DEPLOYMENT.md tells a cluster to load parent-first from lib/. */
    private static final List<String> ENGINE_PACKAGES = List.of("ai.djl.", "ai.onnxruntime.", "com.sun.jna.");

    /**
     * Flink modules in the job jar. A Flink distribution's lib/ has neither, so on a cluster they load from the job
     * jar although they match the parent-first pattern {@code org.apache.flink.}.
     */
    private static final List<String> FLINK_MODULES_IN_JOB_JAR = List.of("flink-avro-", "flink-connector-kafka-");

    /** Generous: a released loader goes within a GC or two once the TaskManager has closed the job. */
    private static final Duration COLLECT_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void everyJobClassLoaderIsCollectableAfterTheJobEnds() throws Exception {
        Path jobJar = jobJar();
        List<byte[]> payloads = new ArrayList<>();
        for (TextEvent sample : SampleTexts.load().subList(0, 4)) {
            payloads.add(AvroBytes.write(sample));
        }
        payloads.add("not avro".getBytes(StandardCharsets.UTF_8)); // exercises the dead-letter output

        Configuration conf = LocalFlinkConfig.loopback(
                Path.of("target", "flink-classloader-leak-it").toAbsolutePath(), 0);
        conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "child-first");
        conf.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS, parentFirstLikeACluster(jobJar));
        conf.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, ENGINE_PACKAGES);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
        List<String> names = new ArrayList<>();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        try {
            cluster.start();
            for (int lifecycle = 0; lifecycle < LIFECYCLES; lifecycle++) {
                boolean cancel = lifecycle % 2 == 1;
                WeakReference<ClassLoader> loader = runJob(cluster, jobJar, payloads, lifecycle, cancel);
                for (WeakReference<ClassLoader> earlier : loaders) {
                    ClassLoader current = loader.get();
                    if (current != null) {
                        assertThat(earlier.get())
                                .as("a class loader of its own for job %d", lifecycle)
                                .isNotSameAs(current);
                    }
                }
                loaders.add(loader);
                names.add("job " + lifecycle + (cancel ? " (cancelled)" : " (finished)"));
            }

            // The TaskManager is still running, as a real one would be: what it keeps must not pin the jobs.
            List<String> alive = awaitCollected(names, loaders);
            if (!alive.isEmpty()) {
                Path dump = dumpHeap();
                assertThat(alive)
                        .as(
                                "job class loaders still reachable after %s of GCs; the heap dump %s shows what holds them"
                                        + " (a GC-root path to org.apache.flink.util.ChildFirstClassLoader)",
                                COLLECT_TIMEOUT, dump)
                        .isEmpty();
            }
        } finally {
            cluster.close();
        }
    }

    /**
     * Runs one job to its end (or cancels it once every record is through) and returns a weak reference to the class
     * loader that loaded its Heed classes.
     */
    private static WeakReference<ClassLoader> runJob(
            MiniCluster cluster, Path jobJar, List<byte[]> payloads, int lifecycle, boolean cancel) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // A job to cancel reads its records and then waits for a checkpoint that never comes: it is running, with the
        // model loaded, when the cancel arrives. The other kind ends after its records.
        DataGeneratorSource<RawRecord> source = cancel
                ? new DataGeneratorSource<>(
                        new Payloads<>(payloads),
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perCheckpoint(payloads.size()),
                        TypeInformation.of(RawRecord.class))
                : new DataGeneratorSource<>(
                        new Payloads<>(payloads), payloads.size(), TypeInformation.of(RawRecord.class));
        HeedEnrichment.Result result = HeedEnrichment.enrich(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "payloads"),
                EnrichmentSettings.builder().build());
        result.enriched()
                .map(new LoaderProbe<>(lifecycle))
                .returns(Types.STRING)
                .sinkTo(new DiscardingSink<>());
        result.deadLetters()
                .map(new LoaderProbe<>(lifecycle))
                .returns(Types.STRING)
                .sinkTo(new DiscardingSink<>());
        JobGraph jobGraph = env.getStreamGraph().getJobGraph();
        // The user-jar mechanism of `flink run`: the TaskManager builds the job's class loader from this jar.
        jobGraph.addJar(new org.apache.flink.core.fs.Path(jobJar.toUri()));

        JobID jobId = cluster.submitJob(jobGraph).get(1, TimeUnit.MINUTES).getJobID();
        if (cancel) {
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (sightings(lifecycle).size() < payloads.size()
                    && !cluster.getJobStatus(jobId).get().isGloballyTerminalState()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            cluster.cancelJob(jobId).get(1, TimeUnit.MINUTES);
        }
        JobResult jobResult = cluster.requestJobResult(jobId).get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(jobResult.getSerializedThrowable())
                .as("failure of job %d", lifecycle)
                .isEmpty();
        assertThat(jobResult.getApplicationStatus())
                .as("end of job %d", lifecycle)
                .isEqualTo(cancel ? ApplicationStatus.CANCELED : ApplicationStatus.SUCCEEDED);

        List<Sighting> sightings = sightings(lifecycle);
        LoaderProbe.SIGHTINGS.clear();
        assertThat(sightings)
                .as("records of job %d out of Heed: %d enriched + 1 dead letter", lifecycle, payloads.size() - 1)
                .hasSize(payloads.size());
        for (Sighting sighting : sightings) {
            assertThat(sighting.facts())
                    .as("job %d: where its classes came from", lifecycle)
                    .hasSize(5)
                    .allSatisfy((fact, holds) -> assertThat(holds).as(fact).isTrue());
            assertThat(sighting.jobLoader().get())
                    .as("one class loader for all of job %d", lifecycle)
                    .isSameAs(sightings.get(0).jobLoader().get());
        }
        return sightings.get(0).jobLoader();
    }

    private static List<Sighting> sightings(int lifecycle) {
        return LoaderProbe.SIGHTINGS.stream()
                .filter(s -> s.lifecycle() == lifecycle)
                .toList();
    }

    /**
     * Flink's default parent-first patterns without {@code org.apache.flink.}. Here the parent is the test class path,
     * which has everything, flink-avro and the Kafka connector included; on a cluster the parent is Flink's lib/, which
     * has neither, so those load from the job jar. Dropping the pattern does just that: a class loads from the job jar
     * only if the jar has it, and (checked here) the only Flink classes the jar has are those two modules'. Without
     * this, flink-avro's serializer would come from the parent and handle the job's own Avro classes with the parent's
     * Avro, a mix that fails and that no cluster has.
     */
    private static List<String> parentFirstLikeACluster(Path jobJar) throws IOException {
        try (ZipFile zip = new ZipFile(jobJar.toFile())) {
            List<String> flinkClasses = zip.stream()
                    .map(ZipEntry::getName)
                    .filter(e -> e.startsWith("org/apache/flink/") && e.endsWith(".class"))
                    .toList();
            assertThat(flinkClasses).as("Flink classes in the job jar").isNotEmpty();
            for (String entry : flinkClasses) {
                URL onTestClassPath = ClassLoader.getSystemResource(entry);
                assertThat(onTestClassPath)
                        .as("%s on the test class path", entry)
                        .isNotNull();
                assertThat(onTestClassPath.getPath())
                        .as("module of %s in the job jar (not one a Flink lib/ has)", entry)
                        .containsAnyOf(FLINK_MODULES_IN_JOB_JAR.toArray(String[]::new));
            }
        }
        List<String> patterns = new ArrayList<>(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS.defaultValue());
        assertThat(patterns.remove("org.apache.flink."))
                .as("Flink's default patterns name org.apache.flink.")
                .isTrue();
        return patterns;
    }

    /** Forces GCs until every loader is gone or the timeout passes; returns the names of those still alive. */
    private static List<String> awaitCollected(List<String> names, List<WeakReference<ClassLoader>> loaders)
            throws InterruptedException {
        long deadline = System.nanoTime() + COLLECT_TIMEOUT.toNanos();
        while (true) {
            System.gc();
            List<String> alive = new ArrayList<>();
            for (int i = 0; i < loaders.size(); i++) {
                ClassLoader loader = loaders.get(i).get();
                if (loader != null) {
                    alive.add(names.get(i) + ": " + loader);
                }
            }
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(200);
        }
    }

    private static Path dumpHeap() throws IOException {
        Path dump = Path.of("target", "classloader-leak-" + System.currentTimeMillis() + ".hprof")
                .toAbsolutePath();
        ManagementFactory.newPlatformMXBeanProxy(
                        ManagementFactory.getPlatformMBeanServer(),
                        "com.sun.management:type=HotSpotDiagnostic",
                        com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpHeap(dump.toString(), true);
        return dump;
    }

    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-job.jar in target/: run the package phase first"))
                    .toAbsolutePath();
        }
    }

    /** What the probe saw for one record: the loader of the record's class (weakly) and checks made in the job. */
    record Sighting(int lifecycle, WeakReference<ClassLoader> jobLoader, Map<String, Boolean> facts) {}

    /**
     * The payloads as the job's own {@link RawRecord}s. Like the probe, this class comes from the test class path
     * (the job jar does not have it), so it makes the records through the job's class loader: a RawRecord of the test
     * class path would be a different class from the one the job's operator expects.
     */
    static final class Payloads<T> implements GeneratorFunction<Long, T> {
        private static final long serialVersionUID = 1L;
        private final List<byte[]> payloads;
        private transient Method rawRecordOf;

        Payloads(List<byte[]> payloads) {
            this.payloads = new ArrayList<>(payloads);
        }

        @Override
        public void open(SourceReaderContext context) throws Exception {
            rawRecordOf = context.getUserCodeClassLoader()
                    .asClassLoader()
                    .loadClass(RawRecord.class.getName())
                    .getMethod("of", byte[].class);
        }

        /** Typed T, not RawRecord: a cast to the test class path's RawRecord would fail on the job's. */
        @Override
        @SuppressWarnings("unchecked")
        public T map(Long index) throws Exception {
            return (T) rawRecordOf.invoke(null, (Object) payloads.get((int) (index % payloads.size())));
        }
    }

    /**
     * Runs inside each job. Its class is not in the job jar, so Flink loads it from the test class path (the parent
     * of every job's loader) and its static queue is the test's. Typed on T, not on EnrichedText: the records are
     * instances of the job's own EnrichedText and DeadLetter, different classes from the test's.
     */
    static final class LoaderProbe<T> extends RichMapFunction<T, String> {
        private static final long serialVersionUID = 1L;
        static final Queue<Sighting> SIGHTINGS = new ConcurrentLinkedQueue<>();

        private final int lifecycle;
        /** The loader of the job's Heed classes; the probe instance lives and dies with the job's task. */
        private transient ClassLoader heedClasses;
        /** Where the job's classes come from, checked once per task. */
        private transient Map<String, Boolean> placement;

        LoaderProbe(int lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            ClassLoader userCode = getRuntimeContext().getUserCodeClassLoader();
            ClassLoader testClassPath = LoaderProbe.class.getClassLoader();
            heedClasses = loaderOf("io.heed.operators.SharedModel", userCode);
            placement = Map.of(
                    "Heed classes from a loader of the job's",
                    heedClasses != testClassPath && loaderOf("io.heed.models.TextModel", userCode) == heedClasses,
                    "flink-avro from the job jar, as on a cluster",
                    loaderOf("org.apache.flink.formats.avro.typeutils.AvroSerializer", userCode) == heedClasses,
                    "Flink itself from the parent",
                    loaderOf("org.apache.flink.streaming.api.operators.AbstractStreamOperator", userCode)
                            == testClassPath,
                    "DJL and ONNX Runtime from the parent",
                    loaderOf("ai.djl.engine.Engine", userCode) == testClassPath
                            && loaderOf("ai.onnxruntime.OrtEnvironment", userCode) == testClassPath);
        }

        @Override
        public String map(T value) {
            ClassLoader recordLoader = value.getClass().getClassLoader();
            Map<String, Boolean> facts = new HashMap<>(placement);
            facts.put("record class from the job's loader", recordLoader == heedClasses);
            SIGHTINGS.add(new Sighting(lifecycle, new WeakReference<>(recordLoader), facts));
            return value.getClass().getSimpleName();
        }

        private static ClassLoader loaderOf(String className, ClassLoader userCode) throws ClassNotFoundException {
            return Class.forName(className, false, userCode).getClassLoader();
        }
    }
}
