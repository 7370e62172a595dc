/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.CommittedReader;
import io.heed.jobs.embedded.EmbeddedKafkaBroker;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.operators.HeedEnrichment;
import io.heed.operators.HeedOptions;
import io.heed.operators.InferenceThreadFault;
import io.heed.operators.RawRecord;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.EntitySpan;
import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once under failures: the same 10,000-record input runs once failure-free (the real job, {@link
 * EnrichmentJob#build}) and once with three injected failures around the Heed operator, each firing once:
 *
 * <ol>
 *   <li>(a) an exception in a map chained right after Heed, while Heed still holds buffered and in-flight batches;
 *   <li>(b) an exception in {@code notifyCheckpointComplete}, right after a checkpoint completed (before or while the
 *       Kafka sinks commit its transactions);
 *   <li>(c) an exception in {@code snapshotState}, failing a checkpoint while it is taken.
 * </ol>
 *
 * Read back {@code read_committed}, run 2 must hold every input exactly once (enriched or dead-lettered) and, with the
 * fp32 encoder, every enrichment must equal run 1's bit for bit: fp32 outputs do not depend on how records are batched,
 * and replays after a restart batch records differently.
 */
class FailureRecoveryIT {
    private static final int VALID_RECORDS = 10_000;
    private static final int INVALID_EVERY = 1_000;
    private static final List<Task> TASKS = List.of(Task.SENTIMENT, Task.ENTITIES);

    /** Fault (c): the first snapshot of the pre-Heed map after this many records passed it (all attempts). */
    private static final long SNAPSHOT_FAULT_AFTER = 1_500;
    /** Fault (a): thrown after this many enriched records passed the post-Heed map (all attempts). */
    private static final long IN_FLIGHT_FAULT_AFTER = 3_500;
    /** Fault (b): the first completed checkpoint after this many records passed the pre-Heed map (all attempts). */
    private static final long AFTER_CHECKPOINT_FAULT_AFTER = 6_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(LocalFlinkConfig.loopback(Path.of("target", "flink-recovery-it"), 0))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().tempDirParent(Path.of("target")).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void injectedFailuresLoseNothingDuplicateNothingAndChangeNoEnrichment() throws Exception {
        String input = "recovery-in";
        broker.createTopics(2, input, "recovery-out-1", "recovery-dlq-1", "recovery-out-2", "recovery-dlq-2");

        // 10,000 sample texts, cycled, with unique ids; one invalid payload after every 1,000 valid ones.
        List<TextEvent> samples = SampleTexts.load();
        List<byte[]> payloads = new ArrayList<>();
        List<String> validIds = new ArrayList<>();
        int invalidCount = 0;
        for (int i = 0; i < VALID_RECORDS; i++) {
            TextEvent sample = samples.get(i % samples.size());
            String id = "rec-" + i;
            validIds.add(id);
            payloads.add(AvroBytes.write(TextEvent.newBuilder(sample)
                    .setId(id)
                    .setSource("recovery-it")
                    .build()));
            if (i % INVALID_EVERY == INVALID_EVERY - 1) {
                payloads.add(invalidPayload(invalidCount++));
            }
        }
        Map<String, byte[]> invalidByCoordinates = new TreeMap<>();
        List<RecordMetadata> metadata = broker.produce(input, payloads);
        for (int i = 0; i < payloads.size(); i++) {
            if (isInvalid(payloads.get(i))) {
                invalidByCoordinates.put(
                        coordinates(metadata.get(i).partition(), metadata.get(i).offset()), payloads.get(i));
            }
        }
        assertThat(invalidByCoordinates).hasSize(invalidCount);

        // Run 1: the real job, failure-free.
        EnrichmentJobOptions reference = options(input, "1");
        long start1 = System.nanoTime();
        StreamExecutionEnvironment env1 = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env1.configure(noRestarts);
        EnrichmentJob.build(env1, reference);
        env1.execute("heed-recovery-reference");
        long run1Millis = (System.nanoTime() - start1) / 1_000_000;
        Output run1 = readAll(reference, payloads.size());

        // Run 2: the same pipeline with the fault-injecting maps around Heed, and restarts.
        Faults.reset();
        EnrichmentJobOptions faulty = options(input, "2");
        long start2 = System.nanoTime();
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        // A checkpoint that fails while being taken fails the job (the default, made explicit).
        restarts.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0);
        env2.configure(restarts);
        buildWithFaults(env2, faulty);
        JobExecutionResult result2 = env2.execute("heed-recovery-faults");
        long run2Millis = (System.nanoTime() - start2) / 1_000_000;
        Output run2 = readAll(faulty, payloads.size());

        // Every fault fired once, and the job recovered from each (one restart per fault).
        assertThat(Faults.SNAPSHOT_FIRED).as("(c) snapshotState failure fired").isTrue();
        assertThat(Faults.IN_FLIGHT_FIRED)
                .as("(a) failure with batches in flight fired")
                .isTrue();
        assertThat(Faults.AFTER_CHECKPOINT_FIRED)
                .as("(b) notifyCheckpointComplete failure fired")
                .isTrue();
        assertThat(Faults.IN_FLIGHT_BUFFERED_WHEN_FIRED.get())
                .as("records read but not yet enriched when (a) fired")
                .isPositive();
        int restartsSeen = Faults.PRE_HEED_OPENS.get() - 1;
        assertThat(restartsSeen).as("restarts (opens of the pre-Heed map - 1)").isEqualTo(3);
        assertThat(result2.getNetRuntime()).isPositive();

        // Run 1 is complete: every valid id enriched once, every invalid payload dead-lettered once.
        assertThat(run1.enriched.keySet()).containsExactlyInAnyOrderElementsOf(validIds);
        assertThat(run1.duplicates).as("run 1 duplicates").isEmpty();
        assertThat(run1.deadLetters.keySet()).containsExactlyInAnyOrderElementsOf(invalidByCoordinates.keySet());

        // Run 2: no loss, no duplicates, by id for enriched records and by input coordinates for dead letters.
        List<String> lost = new ArrayList<>();
        validIds.stream().filter(id -> !run2.enriched.containsKey(id)).forEach(lost::add);
        invalidByCoordinates.keySet().stream()
                .filter(c -> !run2.deadLetters.containsKey(c))
                .forEach(lost::add);
        int duplicated = run2.duplicates.size();

        System.out.printf(
                "Failure recovery: %d inputs (%d valid, %d invalid), %d failures injected, %d restarts seen, "
                        + "job survived; lost %d, duplicated %d; reference run %d ms, faulty run %d ms "
                        + "(records read but not yet enriched when (a) fired: %d)%n",
                payloads.size(),
                VALID_RECORDS,
                invalidCount,
                Faults.firedCount(),
                restartsSeen,
                lost.size(),
                duplicated,
                run1Millis,
                run2Millis,
                Faults.IN_FLIGHT_BUFFERED_WHEN_FIRED.get());

        assertThat(lost).as("records lost in run 2").isEmpty();
        assertThat(run2.duplicates).as("records duplicated in run 2").isEmpty();
        assertThat(run2.enriched.keySet()).containsExactlyInAnyOrderElementsOf(validIds);
        assertThat(run2.deadLetters.keySet()).containsExactlyInAnyOrderElementsOf(invalidByCoordinates.keySet());

        // Dead letters match run 1's.
        run1.deadLetters.forEach((coordinates, expected) -> {
            DeadLetter actual = run2.deadLetters.get(coordinates);
            assertThat(actual.getReason()).as("reason at %s", coordinates).isEqualTo(expected.getReason());
            assertThat(actual.getId()).as("id at %s", coordinates).isEqualTo(expected.getId());
            assertThat(actual.getPayload()).as("payload at %s", coordinates).isEqualTo(expected.getPayload());
            assertThat(actual.getMessage()).as("message at %s", coordinates).isEqualTo(expected.getMessage());
            assertThat(actual.getStage()).as("stage at %s", coordinates).isEqualTo(expected.getStage());
        });

        // Enrichments match run 1's bit for bit (fp32: no tolerance).
        int entities = 0;
        for (String id : validIds) {
            EnrichedText expected = run1.enriched.get(id);
            EnrichedText actual = run2.enriched.get(id);
            assertThat(actual.getText()).as("text of %s", id).isEqualTo(expected.getText());
            assertThat(actual.getSentiment().getLabel())
                    .as("label of %s", id)
                    .isEqualTo(expected.getSentiment().getLabel());
            assertThat(Float.floatToRawIntBits(actual.getSentiment().getScore()))
                    .as("score bits of %s", id)
                    .isEqualTo(Float.floatToRawIntBits(expected.getSentiment().getScore()));
            assertThat(bits(actual.getSentiment().getProbabilities()))
                    .as("probability bits of %s", id)
                    .isEqualTo(bits(expected.getSentiment().getProbabilities()));
            assertThat(spans(actual.getEntities())).as("entities of %s", id).isEqualTo(spans(expected.getEntities()));
            entities += expected.getEntities().size();
        }
        assertThat(entities).as("entities compared").isGreaterThan(1000);
        assertThat(run2.first.getProvenance().getModelId()).contains("fp32");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Crashes: a TaskManager, the broker and the inference thread, with the int8 encoder and all three tasks.

    private static final int CRASH_RECORDS = 2_000;
    private static final List<Task> ALL_TASKS = List.of(Task.SENTIMENT, Task.ENTITIES, Task.SUMMARY);
    /**
     * Tolerance for int8 floats between the runs: none. The default int8 encoder quantises activations per token row,
     * so a record's result does not depend on the records it is batched with, and replays batch differently.
     */
    private static final float INT8_TOLERANCE = 0f;

    /**
     * The same 2,000 records (and 2 invalid ones) once failure-free and once through three crashes, each while the job
     * runs: an engine failure thrown inside Heed's inference thread (a systemic fault: the task fails, nothing is
     * dead-lettered), the TaskManager running the job terminated (a new one takes over), and the Kafka broker stopped
     * for 3 s and restarted. Read back {@code read_committed}: every record exactly once, and every enrichment equal to
     * the failure-free run's (labels, entity spans, summaries; floats bit for bit, {@link #INT8_TOLERANCE}).
     */
    @Test
    void crashesOfTheInferenceThreadTheTaskManagerAndTheBrokerLoseAndDuplicateNothing(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String input = "crash-in";
        broker.createTopics(2, input, "crash-out-1", "crash-dlq-1", "crash-out-2", "crash-dlq-2");
        List<TextEvent> samples = SampleTexts.load();
        List<byte[]> payloads = new ArrayList<>();
        List<String> validIds = new ArrayList<>();
        for (int i = 0; i < CRASH_RECORDS; i++) {
            String id = "crash-" + i;
            validIds.add(id);
            payloads.add(AvroBytes.write(TextEvent.newBuilder(samples.get(i % samples.size()))
                    .setId(id)
                    .build()));
            if (i % 1_000 == 999) {
                payloads.add(invalidPayload(3)); // garbage bytes: UNDECODABLE
            }
        }
        broker.produce(input, payloads);

        EnrichmentJobOptions reference = crashOptions(input, "1");
        StreamExecutionEnvironment env1 = StreamExecutionEnvironment.getExecutionEnvironment();
        EnrichmentJob.build(env1, reference);
        env1.execute("heed-crash-reference");
        Output run1 = readAll(reference, payloads.size());

        InferenceThreadFault.reset();
        Crashes.reset();
        EnrichmentJobOptions crashing = crashOptions(input, "2");
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        env2.configure(restarts);
        buildWithInferenceThreadFault(env2, crashing);
        JobClient job = env2.executeAsync("heed-crash-faults");

        List<String> injected = new ArrayList<>();
        awaitEnriched(job, 300);
        InferenceThreadFault.arm();
        awaitCondition(job, () -> InferenceThreadFault.firedCount() == 1, "the inference-thread fault to fire");
        injected.add("engine failure in the inference thread after " + Crashes.ENRICHED.get() + " enriched");

        awaitEnriched(job, Crashes.ENRICHED.get() + 400);
        long before = Crashes.ENRICHED.get();
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        injected.add("TaskManager terminated after " + before + " enriched, a new one started");

        awaitEnriched(job, Crashes.ENRICHED.get() + 400);
        before = Crashes.ENRICHED.get();
        assertThat(job.getJobStatus().get())
                .as("the job still runs when the last fault is injected")
                .isEqualTo(JobStatus.RUNNING);
        broker.restart(Duration.ofSeconds(3));
        injected.add("broker stopped for 3 s and restarted after " + before + " enriched");

        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        Output run2 = readAll(crashing, payloads.size());

        List<String> lost =
                validIds.stream().filter(id -> !run2.enriched.containsKey(id)).toList();
        float maxFloatDifference = 0f;
        int entities = 0;
        int summaries = 0;
        for (String id : validIds) {
            EnrichedText expected = run1.enriched.get(id);
            EnrichedText actual = run2.enriched.get(id);
            if (actual == null) {
                continue;
            }
            assertThat(actual.getSentiment().getLabel())
                    .as("label of %s", id)
                    .isEqualTo(expected.getSentiment().getLabel());
            maxFloatDifference = Math.max(
                    maxFloatDifference,
                    Math.abs(actual.getSentiment().getScore()
                            - expected.getSentiment().getScore()));
            for (Map.Entry<String, Float> p :
                    expected.getSentiment().getProbabilities().entrySet()) {
                maxFloatDifference = Math.max(
                        maxFloatDifference,
                        Math.abs(actual.getSentiment().getProbabilities().get(p.getKey()) - p.getValue()));
            }
            assertThat(actual.getEntities()).as("entities of %s", id).hasSameSizeAs(expected.getEntities());
            for (int e = 0; e < expected.getEntities().size(); e++) {
                EntitySpan want = expected.getEntities().get(e);
                EntitySpan got = actual.getEntities().get(e);
                assertThat(got.getType() + " " + got.getStart() + "-" + got.getEnd() + " " + got.getText())
                        .as("entity %d of %s", e, id)
                        .isEqualTo(want.getType() + " " + want.getStart() + "-" + want.getEnd() + " " + want.getText());
                maxFloatDifference = Math.max(maxFloatDifference, Math.abs(got.getScore() - want.getScore()));
            }
            assertThat(actual.getSummary().getSentenceIndices())
                    .as("summary sentences of %s", id)
                    .isEqualTo(expected.getSummary().getSentenceIndices());
            assertThat(actual.getSummary().getText())
                    .as("summary of %s", id)
                    .isEqualTo(expected.getSummary().getText());
            entities += expected.getEntities().size();
            summaries += expected.getSummary().getText().isEmpty() ? 0 : 1;
        }

        System.out.printf(
                "Crash recovery (int8, sentiment+entities+summary): %d inputs, faults injected: %s; restarts seen %d;"
                        + " lost %d, duplicated %d; dead letters %d (run 1: %d); max float difference to the"
                        + " failure-free run %.2e over %d entities and %d summaries%n",
                payloads.size(),
                injected,
                Crashes.OPENS.get() - 1,
                lost.size(),
                run2.duplicates.size(),
                run2.deadLetters.size(),
                run1.deadLetters.size(),
                maxFloatDifference,
                entities,
                summaries);

        assertThat(InferenceThreadFault.firedCount()).isEqualTo(1);
        assertThat(Crashes.OPENS.get() - 1)
                .as("restarts: at least one for the inference fault and one for the TaskManager")
                .isGreaterThanOrEqualTo(2);
        assertThat(run1.enriched.keySet()).containsExactlyInAnyOrderElementsOf(validIds);
        assertThat(lost).as("records lost").isEmpty();
        assertThat(run2.duplicates).as("records duplicated").isEmpty();
        assertThat(run2.deadLetters.keySet())
                .as("dead letters: the invalid payloads only; the systemic fault dead-lettered nothing")
                .containsExactlyInAnyOrderElementsOf(run1.deadLetters.keySet())
                .hasSize(2);
        assertThat(run2.deadLetters.values()).allMatch(d -> d.getReason() == DeadLetterReason.UNDECODABLE);
        assertThat(entities).as("entities compared").isGreaterThan(500);
        assertThat(summaries).as("summaries compared").isGreaterThan(500);
        assertThat(maxFloatDifference).isLessThanOrEqualTo(INT8_TOLERANCE);
        assertThat(run2.first.getProvenance().getModelId()).contains("int8");
    }

    private static void awaitEnriched(JobClient job, long count) throws Exception {
        awaitCondition(job, () -> Crashes.ENRICHED.get() >= count, count + " records enriched (all attempts)");
    }

    private static void awaitCondition(JobClient job, java.util.function.BooleanSupplier condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            assertThat(job.getJobStatus().get())
                    .as("job status while waiting for %s", what)
                    .isNotIn(JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED);
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** What the crash run shares with the test thread: MiniCluster runs the job in this JVM. */
    static final class Crashes {
        static final AtomicLong ENRICHED = new AtomicLong();
        static final AtomicInteger OPENS = new AtomicInteger();

        static void reset() {
            ENRICHED.set(0);
            OPENS.set(0);
        }
    }

    /** Counts enriched records over all attempts, and its opens count the attempts. */
    static final class CountEnriched extends RichMapFunction<EnrichedText, EnrichedText> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open(OpenContext openContext) {
            Crashes.OPENS.incrementAndGet();
        }

        @Override
        public EnrichedText map(EnrichedText value) {
            Crashes.ENRICHED.incrementAndGet();
            return value;
        }
    }

    private static void buildWithInferenceThreadFault(StreamExecutionEnvironment env, EnrichmentJobOptions options) {
        env.setParallelism(options.parallelism());
        env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<RawRecord> raw = env.fromSource(
                        EnrichmentJob.source(options),
                        WatermarkStrategy.noWatermarks(),
                        "Kafka " + options.inputTopic())
                .uid("heed-kafka-source");
        HeedEnrichment.Result result = InferenceThreadFault.enrich(raw, options.settings());
        sinkBoth(
                result.enriched()
                        .map(new CountEnriched())
                        .returns(new AvroTypeInfo<>(EnrichedText.class))
                        .name("Count enriched")
                        .uid("count-enriched"),
                result.deadLetters(),
                options);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The pipeline of EnrichmentJob.build, with the fault-injecting maps inserted around the Heed operator.

    private static void buildWithFaults(StreamExecutionEnvironment env, EnrichmentJobOptions options) {
        env.setParallelism(options.parallelism());
        env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

        // The job's own source and sinks (bounded, earliest: the options say so); only the fault maps are added.
        KafkaSource<RawRecord> source = EnrichmentJob.source(options);
        DataStream<RawRecord> raw = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "Kafka " + options.inputTopic())
                .uid("heed-kafka-source");
        DataStream<RawRecord> faultyInput = raw.map(new PreHeedFaults())
                .returns(raw.getType())
                .name("Fault injection (b, c)")
                .uid("fault-pre-heed");
        HeedEnrichment.Result result = HeedEnrichment.enrich(faultyInput, options.settings());
        DataStream<EnrichedText> postHeed = result.enriched()
                .map(new PostHeedFault())
                .returns(new AvroTypeInfo<>(EnrichedText.class))
                .name("Fault injection (a)")
                .uid("fault-post-heed");
        sinkBoth(postHeed, result.deadLetters(), options);
    }

    /** The job's two exactly-once Kafka sinks, as EnrichmentJob.build adds them. */
    private static void sinkBoth(
            DataStream<EnrichedText> enriched, DataStream<DeadLetter> deadLetters, EnrichmentJobOptions options) {
        enriched.sinkTo(EnrichmentJob.sink(
                        options,
                        options.outputTopic(),
                        "enriched",
                        AvroSerializationSchema.forSpecific(EnrichedText.class),
                        EnrichedText::getId))
                .name("Kafka " + options.outputTopic())
                .uid("heed-kafka-enriched-sink");
        deadLetters
                .sinkTo(EnrichmentJob.sink(
                        options,
                        options.deadLetterTopic(),
                        "dead-letter",
                        AvroSerializationSchema.forSpecific(DeadLetter.class),
                        DeadLetter::getId))
                .name("Kafka " + options.deadLetterTopic())
                .uid("heed-kafka-dead-letter-sink");
    }

    /** What the faults share with the test: MiniCluster runs the job in this JVM. */
    static final class Faults {
        static final AtomicBoolean SNAPSHOT_FIRED = new AtomicBoolean();
        static final AtomicBoolean IN_FLIGHT_FIRED = new AtomicBoolean();
        static final AtomicBoolean AFTER_CHECKPOINT_FIRED = new AtomicBoolean();
        /** Records into Heed, over all attempts (replays count again). */
        static final AtomicLong INTO_HEED = new AtomicLong();
        /** Enriched records out of Heed, over all attempts. */
        static final AtomicLong OUT_OF_HEED = new AtomicLong();
        /** Valid records (to be enriched) into Heed in the current attempt, and enriched records out of it. */
        static final AtomicLong INTO_HEED_ATTEMPT = new AtomicLong();

        static final AtomicLong OUT_OF_HEED_ATTEMPT = new AtomicLong();
        static final AtomicLong IN_FLIGHT_BUFFERED_WHEN_FIRED = new AtomicLong();
        static final AtomicInteger PRE_HEED_OPENS = new AtomicInteger();

        static void reset() {
            SNAPSHOT_FIRED.set(false);
            IN_FLIGHT_FIRED.set(false);
            AFTER_CHECKPOINT_FIRED.set(false);
            INTO_HEED.set(0);
            OUT_OF_HEED.set(0);
            INTO_HEED_ATTEMPT.set(0);
            OUT_OF_HEED_ATTEMPT.set(0);
            IN_FLIGHT_BUFFERED_WHEN_FIRED.set(0);
            PRE_HEED_OPENS.set(0);
        }

        static int firedCount() {
            return (SNAPSHOT_FIRED.get() ? 1 : 0)
                    + (IN_FLIGHT_FIRED.get() ? 1 : 0)
                    + (AFTER_CHECKPOINT_FIRED.get() ? 1 : 0);
        }
    }

    /** Before Heed: (c) throws in snapshotState, (b) throws in notifyCheckpointComplete; each once. */
    static final class PreHeedFaults extends RichMapFunction<RawRecord, RawRecord>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;

        @Override
        public void open(OpenContext openContext) {
            Faults.PRE_HEED_OPENS.incrementAndGet();
            Faults.INTO_HEED_ATTEMPT.set(0);
            Faults.OUT_OF_HEED_ATTEMPT.set(0);
        }

        @Override
        public RawRecord map(RawRecord value) {
            Faults.INTO_HEED.incrementAndGet();
            if (value.payload == null || !isInvalid(value.payload)) {
                // Only records that will come out enriched, so (a) can tell how many Heed holds when it fires.
                Faults.INTO_HEED_ATTEMPT.incrementAndGet();
            }
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (Faults.INTO_HEED.get() >= SNAPSHOT_FAULT_AFTER && Faults.SNAPSHOT_FIRED.compareAndSet(false, true)) {
                throw new IllegalStateException(
                        "Injected fault (c): snapshotState of checkpoint " + context.getCheckpointId());
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (Faults.INTO_HEED.get() >= AFTER_CHECKPOINT_FAULT_AFTER
                    && Faults.AFTER_CHECKPOINT_FIRED.compareAndSet(false, true)) {
                throw new IllegalStateException("Injected fault (b): after checkpoint " + checkpointId + " completed");
            }
        }
    }

    /** Right after Heed, chained to it: (a) throws once, while Heed holds records it has not emitted yet. */
    static final class PostHeedFault extends RichMapFunction<EnrichedText, EnrichedText> {
        private static final long serialVersionUID = 1L;

        @Override
        public EnrichedText map(EnrichedText value) {
            long out = Faults.OUT_OF_HEED.incrementAndGet();
            long outAttempt = Faults.OUT_OF_HEED_ATTEMPT.incrementAndGet();
            if (out >= IN_FLIGHT_FAULT_AFTER && Faults.IN_FLIGHT_FIRED.compareAndSet(false, true)) {
                // Valid records handed to Heed in this attempt and not emitted yet: buffered, in flight, or in the
                // batch being emitted right now. The exception unwinds through Heed's emit, with those still held.
                Faults.IN_FLIGHT_BUFFERED_WHEN_FIRED.set(Faults.INTO_HEED_ATTEMPT.get() - outAttempt);
                throw new IllegalStateException("Injected fault (a): after " + out + " enriched records, with "
                        + Faults.IN_FLIGHT_BUFFERED_WHEN_FIRED.get() + " records still in Heed");
            }
            return value;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static EnrichmentJobOptions options(String input, String run) {
        return options("recovery", input, run, EncoderVariant.FP32, TASKS);
    }

    private static EnrichmentJobOptions crashOptions(String input, String run) {
        return options("crash", input, run, EncoderVariant.INT8, ALL_TASKS);
    }

    /** Run {@code run} of a test whose topics, group and transactional ids all start with {@code prefix}. */
    private static EnrichmentJobOptions options(
            String prefix, String input, String run, EncoderVariant encoder, List<Task> tasks) {
        return EnrichmentJobOptions.builder()
                .brokers(broker.bootstrapServers())
                .inputTopic(input)
                .outputTopic(prefix + "-out-" + run)
                .deadLetterTopic(prefix + "-dlq-" + run)
                .groupId(prefix + "-" + run)
                .transactionalIdPrefix(prefix + "-" + run)
                .set(HeedOptions.ENCODER, encoder)
                .set(HeedOptions.TASKS, tasks)
                .checkpointInterval(Duration.ofMillis(500))
                .bounded(true)
                .build();
    }

    private static final String INVALID_MARKER = "recovery-invalid-";

    private static byte[] invalidPayload(int n) {
        String id = INVALID_MARKER + n;
        return switch (n % 4) {
            case 0 ->
                AvroBytes.write(
                        TextEvent.newBuilder().setId(id).setText(" \n\t ").build());
            case 1 ->
                AvroBytes.write(TextEvent.newBuilder().setId(id).setText(null).build());
            case 2 ->
                AvroBytes.write(TextEvent.newBuilder()
                        .setId("")
                        .setText("no id here " + id)
                        .build());
            default -> ("garbage " + id).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static boolean isInvalid(byte[] payload) {
        return new String(payload, StandardCharsets.ISO_8859_1).contains(INVALID_MARKER);
    }

    private static String coordinates(int partition, long offset) {
        return partition + "@" + offset;
    }

    private static Map<String, Integer> bits(Map<String, Float> probabilities) {
        Map<String, Integer> bits = new TreeMap<>();
        probabilities.forEach((label, p) -> bits.put(label, Float.floatToRawIntBits(p)));
        return bits;
    }

    private static List<String> spans(List<EntitySpan> entities) {
        return entities.stream()
                .map(e -> e.getType() + " " + e.getStart() + "-" + e.getEnd() + " " + e.getText() + " "
                        + Integer.toHexString(Float.floatToRawIntBits(e.getScore())))
                .toList();
    }

    private static final class Output {
        final Map<String, EnrichedText> enriched = new HashMap<>();
        final Map<String, DeadLetter> deadLetters = new LinkedHashMap<>();
        final List<String> duplicates = new ArrayList<>();
        EnrichedText first;

        int size() {
            return enriched.size() + deadLetters.size() + duplicates.size();
        }
    }

    private static Output readAll(EnrichmentJobOptions options, int expected) {
        Output output = new Output();
        try (CommittedReader reader = new CommittedReader(
                broker.bootstrapServers(), List.of(options.outputTopic(), options.deadLetterTopic()))) {
            java.util.function.BiConsumer<String, byte[]> collect = (topic, value) -> {
                if (topic.equals(options.outputTopic())) {
                    EnrichedText record = AvroBytes.read(value, EnrichedText.class);
                    if (output.enriched.putIfAbsent(record.getId().toString(), record) != null) {
                        output.duplicates.add(record.getId().toString());
                    }
                    if (output.first == null) {
                        output.first = record;
                    }
                } else {
                    DeadLetter deadLetter = AvroBytes.read(value, DeadLetter.class);
                    String at = coordinates(deadLetter.getPartition(), deadLetter.getOffset());
                    if (output.deadLetters.putIfAbsent(at, deadLetter) != null) {
                        output.duplicates.add("dead letter " + at);
                    }
                }
            };
            boolean complete = reader.readUntil(() -> output.size() >= expected, Duration.ofSeconds(60), collect);
            assertThat(complete)
                    .as("all %d records committed within 60 s (have %d)", expected, output.size())
                    .isTrue();
            // Keep reading a little: duplicates would show up as more records than were sent.
            reader.readUntil(() -> false, Duration.ofSeconds(2), collect);
        }
        return output;
    }
}
