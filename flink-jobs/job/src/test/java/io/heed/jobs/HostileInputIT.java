/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heed.jobs.HostileCorpus.Case;
import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.CommittedReader;
import io.heed.jobs.embedded.EmbeddedKafkaBroker;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.operators.InputFormat;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.EntitySpan;
import io.heed.schemas.TextEvent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile input corpus ({@code hostile/cases.tsv}) through the real job: embedded KRaft broker, Flink MiniCluster,
 * the bundled transformer, exactly-once sinks, read back {@code read_committed}. The job must finish (it runs with no
 * restarts, so one exception anywhere fails the test), and every case must end exactly once, enriched or
 * dead-lettered with the reason the manifest expects.
 *
 * <p>Heed does not de-duplicate by id: two records with the same id are two enrichments (the duplicate-id cases).
 */
class HostileInputIT {
    /** Above the 10 MB cases plus their DeadLetter envelope; every client and the broker must allow it. */
    private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
    /** The job runs with its default record limit, which keeps every output record under Kafka's default 1 MiB. */
    private static final int DEFAULT_MAX_RECORD_BYTES = io.heed.operators.HeedOptions.MAX_RECORD_BYTES.defaultValue();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(LocalFlinkConfig.loopback(Path.of("target", "flink-hostile-it"), 0))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static EmbeddedKafkaBroker broker;
    private static List<Case> corpus;

    @BeforeAll
    static void startBrokerAndLoadCorpus() {
        broker = EmbeddedKafkaBroker.builder()
                .tempDirParent(Path.of("target"))
                // The topic default for records, so the 10 MB input and its dead letter fit in every topic.
                .brokerProperty("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES))
                .start();
        corpus = HostileCorpus.load();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theCorpusHasAtLeastFortyKindsAndEveryOutcomeIsAKnownOne() {
        assertThat(corpus.stream().map(Case::kind).distinct()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(corpus.stream().map(Case::name)).doesNotHaveDuplicates();
        assertThat(corpus).allSatisfy(c -> assertThat(c.expected()).isIn(expectedOutcomes()));
        assertThat(corpus).filteredOn(c -> c.format() == InputFormat.AVRO).isNotEmpty();
        assertThat(corpus).filteredOn(c -> c.format() == InputFormat.JSON).isNotEmpty();
    }

    @Test
    void everyAvroCaseEndsExactlyOnceWithItsExpectedOutcome() throws Exception {
        runAndVerify(InputFormat.AVRO);
    }

    @Test
    void everyJsonCaseEndsExactlyOnceWithItsExpectedOutcome() throws Exception {
        runAndVerify(InputFormat.JSON);
    }

    private void runAndVerify(InputFormat format) throws Exception {
        List<Case> cases = corpus.stream().filter(c -> c.format() == format).toList();
        String name = format.name().toLowerCase(Locale.ROOT);
        String input = "hostile-in-" + name;
        String output = "hostile-out-" + name;
        String deadLetters = "hostile-dlq-" + name;
        // One input partition: a dead letter's offset names its case.
        broker.createTopics(1, input, output, deadLetters);
        Map<Long, Case> caseByOffset = produce(input, cases);

        long start = System.nanoTime();
        runJob(format, input, output, deadLetters);
        long jobMillis = (System.nanoTime() - start) / 1_000_000;

        List<EnrichedText> enriched = new ArrayList<>();
        List<DeadLetter> deadLettered = new ArrayList<>();
        Map<String, Integer> largestRecord = new TreeMap<>();
        try (CommittedReader reader = new CommittedReader(broker.bootstrapServers(), List.of(output, deadLetters))) {
            java.util.function.BiConsumer<String, byte[]> collect = (topic, value) -> {
                largestRecord.merge(topic, value.length, Math::max);
                if (topic.equals(output)) {
                    enriched.add(AvroBytes.read(value, EnrichedText.class));
                } else {
                    deadLettered.add(AvroBytes.read(value, DeadLetter.class));
                }
            };
            boolean complete = reader.readUntil(
                    () -> enriched.size() + deadLettered.size() >= cases.size(), Duration.ofSeconds(60), collect);
            assertThat(complete)
                    .as("all %d cases committed within 60 s", cases.size())
                    .isTrue();
            // Keep reading a little: a duplicate would show up as more records than cases.
            reader.readUntil(() -> false, Duration.ofSeconds(2), collect);
        }

        // Counts reconcile: every record in is one record out.
        assertThat(enriched.size() + deadLettered.size())
                .as("enriched + dead-lettered")
                .isEqualTo(cases.size());

        // Each dead letter is the case at its offset, once, with the expected reason and the payload byte for byte
        // (its first half of the record limit when longer: the dead letter itself must fit in a Kafka message).
        Map<Long, DeadLetter> deadLetterByOffset = new HashMap<>();
        for (DeadLetter deadLetter : deadLettered) {
            assertThat(deadLetterByOffset.put(deadLetter.getOffset(), deadLetter))
                    .as("second dead letter for offset %d", deadLetter.getOffset())
                    .isNull();
            Case hostile = caseByOffset.get(deadLetter.getOffset());
            assertThat(hostile).as("case at offset %d", deadLetter.getOffset()).isNotNull();
            assertThat(deadLetter.getReason().name())
                    .as("reason for %s: %s", hostile, deadLetter.getMessage())
                    .isEqualTo(hostile.expected());
            assertThat(deadLetter.getTopic()).isEqualTo(input);
            assertThat(deadLetter.getMessage()).isNotBlank();
            if (hostile.payload() == null) {
                assertThat(deadLetter.getPayload()).as("payload of %s", hostile).isNull();
                continue;
            }
            int kept = Math.min(hostile.payload().length, DEFAULT_MAX_RECORD_BYTES / 2);
            assertThat(bytes(deadLetter.getPayload()))
                    .as("payload of %s", hostile)
                    .isEqualTo(java.util.Arrays.copyOf(hostile.payload(), kept));
            if (kept < hostile.payload().length) {
                assertThat(deadLetter.getMessage())
                        .contains("payload cut to the first " + kept + " of " + hostile.payload().length + " bytes");
            }
        }

        // Every case expected to be enriched is, as often as it was sent (ids are not de-duplicated).
        Map<String, List<Case>> expectedById = new LinkedHashMap<>();
        caseByOffset.forEach((offset, hostile) -> {
            if (hostile.expectsEnriched()) {
                expectedById
                        .computeIfAbsent(decode(hostile).getId(), id -> new ArrayList<>())
                        .add(hostile);
            } else {
                assertThat(deadLetterByOffset).as("dead letter of %s", hostile).containsKey(offset);
            }
        });
        Map<String, List<EnrichedText>> enrichedById = enriched.stream()
                .collect(Collectors.groupingBy(EnrichedText::getId, LinkedHashMap::new, Collectors.toList()));
        assertThat(enrichedById.keySet()).containsExactlyInAnyOrderElementsOf(expectedById.keySet());
        expectedById.forEach((id, expected) -> {
            List<EnrichedText> records = enrichedById.get(id);
            assertThat(records).as("enrichments of id %s", id).hasSize(expected.size());
            List<String> expectedTexts = expected.stream()
                    .map(c -> withUnpairedSurrogatesReplaced(decode(c).getText()))
                    .toList();
            assertThat(records)
                    .extracting(EnrichedText::getText)
                    .as("texts of id %s", id)
                    .containsExactlyInAnyOrderElementsOf(expectedTexts);
            records.forEach(HostileInputIT::assertSane);
        });

        // Every message fits the record limit, and so Kafka's default 1 MiB, whatever the input carried.
        assertThat(largestRecord.values())
                .as("largest record bytes per topic")
                .allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(DEFAULT_MAX_RECORD_BYTES));

        Map<String, Long> outcomes = new TreeMap<>();
        outcomes.put("enriched", (long) enriched.size());
        deadLettered.forEach(d -> outcomes.merge(d.getReason().name(), 1L, Long::sum));
        // The largest records tell what Kafka's max.request.size / message.max.bytes must allow (see the job's docs).
        System.out.printf(
                "Hostile corpus, %s: %d cases, job %d ms, outcomes %s, largest record bytes %s%n",
                name, cases.size(), jobMillis, outcomes, largestRecord);
    }

    /** Entities point into the text and say what is there; the summary's sentences are in document order. */
    private static void assertSane(EnrichedText record) {
        String text = record.getText();
        assertThat(record.getSentiment()).as("sentiment of %s", record.getId()).isNotNull();
        assertThat(record.getSentiment().getLabel()).isIn("positive", "negative", "neutral");
        assertThat(record.getSentiment().getScore()).isBetween(0f, 1f);
        for (EntitySpan entity : record.getEntities()) {
            assertThat(entity.getStart())
                    .as("entity %s of %s", entity, record.getId())
                    .isBetween(0, entity.getEnd());
            assertThat(entity.getEnd())
                    .as("entity %s of %s", entity, record.getId())
                    .isLessThanOrEqualTo(text.length());
            assertThat(text.substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
            assertThat(entity.getType()).isIn("PER", "ORG", "LOC", "MISC");
            assertThat(entity.getScore()).isBetween(0f, 1f);
        }
        assertThat(record.getSummary()).as("summary of %s", record.getId()).isNotNull();
        List<Integer> indices = record.getSummary().getSentenceIndices();
        for (int i = 0; i < indices.size(); i++) {
            assertThat(indices.get(i)).isNotNegative();
            if (i > 0) {
                assertThat(indices.get(i))
                        .as("summary sentence indices of %s", record.getId())
                        .isGreaterThan(indices.get(i - 1));
            }
        }
        assertThat(record.getProvenance().getWeightsSha256()).hasSize(64);
    }

    /** The event as a plain reader of the format sees it (Avro leniently replaces malformed UTF-8). */
    private static TextEvent decode(Case hostile) {
        if (hostile.format() == InputFormat.AVRO) {
            return AvroBytes.read(hostile.payload(), TextEvent.class);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(hostile.payload());
            return TextEvent.newBuilder()
                    .setId(root.get("id").textValue())
                    .setText(root.get("text").textValue())
                    .build();
        } catch (java.io.IOException e) {
            throw new AssertionError("JSON case " + hostile + " expected enriched but does not parse", e);
        }
    }

    /** Heed replaces each unpaired surrogate (no UTF-8 encoding exists for one) with U+FFFD before the model. */
    private static String withUnpairedSurrogatesReplaced(String text) {
        StringBuilder replaced = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                replaced.append(c).append(text.charAt(++i));
            } else {
                replaced.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return replaced.toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<String> expectedOutcomes() {
        List<String> outcomes = new ArrayList<>();
        outcomes.add(HostileCorpus.ENRICHED);
        for (io.heed.schemas.DeadLetterReason reason : io.heed.schemas.DeadLetterReason.values()) {
            outcomes.add(reason.name());
        }
        return outcomes;
    }

    private static void runJob(InputFormat format, String input, String output, String deadLetters) throws Exception {
        EnrichmentJobOptions options = EnrichmentJobOptions.builder()
                .brokers(broker.bootstrapServers())
                .inputTopic(input)
                .outputTopic(output)
                .deadLetterTopic(deadLetters)
                .groupId("hostile-" + input)
                .transactionalIdPrefix("hostile-" + input)
                .format(format)
                .checkpointInterval(Duration.ofMillis(500))
                .bounded(true)
                // The job's own Kafka clients keep their defaults: its sinks can send nothing over 1 MiB, so a record
                // Heed let through over the limit would fail this (restart-free) job.
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // No restarts: a record that throws anywhere must fail this test, not be replayed until it happens to pass.
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestarts);
        EnrichmentJob.build(env, options);
        env.execute("heed-hostile-" + input);
    }

    /** Sends the cases in order and returns each one's offset. */
    private static Map<Long, Case> produce(String topic, List<Case> cases) throws Exception {
        List<RecordMetadata> metadata = broker.produce(
                topic,
                cases.stream().map(Case::payload).toList(),
                Map.of(
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        MAX_MESSAGE_BYTES,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        4L * MAX_MESSAGE_BYTES));
        Map<Long, Case> byOffset = new HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            byOffset.put(metadata.get(i).offset(), cases.get(i));
        }
        return byOffset;
    }
}
