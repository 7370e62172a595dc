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
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upgrades and rescaling: the job reads a 4-partition topic, is stopped with a savepoint mid-stream, restored from it
 * at parallelism 3 with an operator added to the job graph, stopped with a savepoint again and restored at
 * parallelism 1, then stopped with a savepoint once all input is committed. New input arrives between the runs. Read {@code read_committed}, every input record is in the
 * output exactly once: the Kafka source's offsets and the sinks' transactions move with the stable uids, and Heed
 * itself keeps no state across checkpoints.
 */
class SavepointRescaleIT {
    private static final int PER_PHASE = 150;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(LocalFlinkConfig.loopback(Path.of("target", "flink-savepoint-it"), 0))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(3)
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
    void stopWithSavepointThenRestoreAtThreeAndBackAtOneKeepsEveryRecordExactlyOnce() throws Exception {
        String input = "rescale-in";
        String output = "rescale-out";
        String deadLetters = "rescale-dlq";
        broker.createTopics(4, input, output, deadLetters);
        Path savepoints = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "savepoints-");
        List<String> ids = new ArrayList<>();

        // Phase 1: parallelism 1, stopped with a savepoint once part of the input is committed.
        produce(input, ids, 0);
        JobClient first = start(options(input, output, deadLetters, 1), null, false);
        awaitCommitted(output, deadLetters, PER_PHASE / 3);
        String savepoint1 = first.stopWithSavepoint(false, savepoints.toString(), SavepointFormatType.CANONICAL)
                .get(2, java.util.concurrent.TimeUnit.MINUTES);

        // Phase 2: parallelism 3 from that savepoint, with a new (stateless) pipeline added to the job graph.
        produce(input, ids, 1);
        JobClient second = start(options(input, output, deadLetters, 3), savepoint1, true);
        awaitCommitted(output, deadLetters, PER_PHASE + PER_PHASE / 2);
        String savepoint2 = second.stopWithSavepoint(false, savepoints.toString(), SavepointFormatType.CANONICAL)
                .get(2, java.util.concurrent.TimeUnit.MINUTES);

        // Phase 3: back to parallelism 1 until everything is committed. (Not --bounded: partitions restored from an
        // unbounded run's savepoint keep their own, open-ended stopping offsets, so a bounded restore would not end.)
        produce(input, ids, 2);
        JobClient third = start(options(input, output, deadLetters, 1), savepoint2, false);
        awaitCommitted(output, deadLetters, ids.size());
        third.stopWithSavepoint(false, savepoints.toString(), SavepointFormatType.CANONICAL)
                .get(2, java.util.concurrent.TimeUnit.MINUTES);

        Map<String, Integer> seen = new HashMap<>();
        try (CommittedReader reader = new CommittedReader(broker.bootstrapServers(), List.of(output, deadLetters))) {
            reader.readUntil(() -> seen.size() >= ids.size(), Duration.ofSeconds(60), (topic, value) -> {
                String id = topic.equals(output)
                        ? AvroBytes.read(value, EnrichedText.class).getId()
                        : AvroBytes.read(value, DeadLetter.class).getId();
                seen.merge(id, 1, Integer::sum);
            });
            // Keep reading a little: duplicates would show up as counts over one.
            reader.readUntil(
                    () -> false,
                    Duration.ofSeconds(2),
                    (topic, value) -> seen.merge(
                            topic.equals(output)
                                    ? AvroBytes.read(value, EnrichedText.class).getId()
                                    : AvroBytes.read(value, DeadLetter.class).getId(),
                            1,
                            Integer::sum));
        }
        assertThat(seen.keySet()).as("ids in the output").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(seen)
                .as("times each id was written")
                .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }

    private static EnrichmentJobOptions options(String input, String output, String deadLetters, int parallelism) {
        return EnrichmentJobOptions.builder()
                .brokers(broker.bootstrapServers())
                .inputTopic(input)
                .outputTopic(output)
                .deadLetterTopic(deadLetters)
                .groupId("rescale-it")
                .transactionalIdPrefix("rescale-it")
                .parallelism(parallelism)
                .checkpointInterval(Duration.ofMillis(500))
                .build();
    }

    private static JobClient start(EnrichmentJobOptions options, String savepoint, boolean addOperator)
            throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        EnrichmentJob.build(env, options);
        if (addOperator) {
            // Not in the savepoint: restoring must accept an operator that is new to the job graph.
            env.fromData(1, 2, 3)
                    .uid("added-source")
                    .sinkTo(new DiscardingSink<>())
                    .uid("added-sink");
        }
        return env.executeAsync("heed-rescale-" + options.parallelism());
    }

    private static void awaitCommitted(String output, String deadLetters, int count) {
        int[] seen = {0};
        try (CommittedReader reader = new CommittedReader(broker.bootstrapServers(), List.of(output, deadLetters))) {
            boolean done = reader.readUntil(() -> seen[0] >= count, Duration.ofSeconds(120), (t, v) -> seen[0]++);
            assertThat(done)
                    .as("%d records committed (have %d)", count, seen[0])
                    .isTrue();
        }
    }

    private static void produce(String topic, List<String> ids, int phase) throws InterruptedException {
        List<TextEvent> samples = SampleTexts.load();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < PER_PHASE; i++) {
            String id = "phase" + phase + "-" + i;
            ids.add(id);
            payloads.add(AvroBytes.write(TextEvent.newBuilder(samples.get(i % samples.size()))
                    .setId(id)
                    .build()));
        }
        broker.produce(topic, payloads);
    }
}
