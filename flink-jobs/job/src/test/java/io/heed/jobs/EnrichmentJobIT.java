/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.CommittedReader;
import io.heed.jobs.embedded.EmbeddedKafkaBroker;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.models.Task;
import io.heed.models.testutils.HfModelFixtures;
import io.heed.operators.HeedOptions;
import io.heed.operators.InputFormat;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against a real KRaft broker and a Flink MiniCluster with the real bundled transformer: every input
 * record ends up exactly once in the enriched or the dead-letter topic, read back {@code read_committed}.
 */
class EnrichmentJobIT {
    private static final int MAX_TEXT_BYTES = 4096;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(LocalFlinkConfig.loopback(Path.of("target", "flink-it"), 0))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static EmbeddedKafkaBroker broker;

    private static final List<String> CLEARLY_POSITIVE = List.of(
            "I absolutely love this product, it is wonderful and works perfectly.",
            "Fantastic service, friendly staff and delicious food. Highly recommended!",
            "This is the best phone I have ever owned. Brilliant battery and a gorgeous screen.",
            "What a delightful hotel: clean rooms, a great breakfast and a lovely view.",
            "Excellent support team, they solved my problem in minutes. Thank you so much!");
    private static final List<String> CLEARLY_NEGATIVE = List.of(
            "Terrible product. It broke after one day and the support was rude and useless.",
            "The worst hotel I have ever stayed in: dirty, noisy and overpriced.",
            "Awful experience, a complete waste of money. I want a refund.",
            "The food was cold, bland and disgusting, and the waiter ignored us.",
            "This update is horrible, the app crashes constantly and I lost all my data.");

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().tempDirParent(Path.of("target")).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyRecordIsEnrichedOrDeadLetteredExactlyOnce() throws Exception {
        Topics topics = Topics.create("avro", 2);
        Map<String, String> expectedLabels = new LinkedHashMap<>();
        List<byte[]> valid = new ArrayList<>();
        List<TextEvent> samples = SampleTexts.load();
        for (int i = 0; i < 1000; i++) {
            String id = "it-" + i;
            String text;
            if (i % 10 == 0) {
                text = CLEARLY_POSITIVE.get((i / 10) % CLEARLY_POSITIVE.size());
                expectedLabels.put(id, "positive");
            } else if (i % 10 == 5) {
                text = CLEARLY_NEGATIVE.get((i / 10) % CLEARLY_NEGATIVE.size());
                expectedLabels.put(id, "negative");
            } else {
                text = samples.get(i % samples.size()).getText();
            }
            valid.add(AvroBytes.write(TextEvent.newBuilder()
                    .setId(id)
                    .setText(text)
                    .setSource("it")
                    .build()));
        }
        Map<String, DeadLetterReason> invalidReasons = new LinkedHashMap<>();
        List<byte[]> invalid = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "bad-" + i;
            switch (i % 5) {
                case 0 -> {
                    invalid.add(AvroBytes.write(
                            TextEvent.newBuilder().setId(id).setText(" \n\t ").build()));
                    invalidReasons.put(id, DeadLetterReason.BLANK_TEXT);
                }
                case 1 -> {
                    invalid.add(AvroBytes.write(
                            TextEvent.newBuilder().setId(id).setText(null).build()));
                    invalidReasons.put(id, DeadLetterReason.MISSING_TEXT);
                }
                case 2 -> {
                    invalid.add(AvroBytes.write(TextEvent.newBuilder()
                            .setId(id)
                            .setText("é".repeat(3000))
                            .build()));
                    invalidReasons.put(id, DeadLetterReason.TEXT_TOO_LARGE);
                }
                case 3 -> {
                    invalid.add(AvroBytes.write(TextEvent.newBuilder()
                            .setId("")
                            .setText("no id here")
                            .build()));
                    invalidReasons.put(id, DeadLetterReason.MISSING_ID);
                }
                default -> {
                    invalid.add(("garbage " + id).getBytes(StandardCharsets.UTF_8));
                    invalidReasons.put(id, DeadLetterReason.UNDECODABLE);
                }
            }
        }
        // Interleave: one invalid record after every 50 valid ones, so the job must keep going past each.
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            payloads.add(valid.get(i));
            if (i % 50 == 49) {
                payloads.add(invalid.get(i / 50));
            }
        }
        broker.produce(topics.input, payloads);

        runJob(topics, InputFormat.AVRO);

        Output output = readAll(topics, 1020);
        assertThat(output.enrichedIds).hasSize(1000).doesNotHaveDuplicates();
        assertThat(output.enrichedIds)
                .containsExactlyInAnyOrderElementsOf(valid.stream()
                        .map(b -> AvroBytes.read(b, TextEvent.class).getId())
                        .toList());
        expectedLabels.forEach((id, label) ->
                assertThat(output.labels.get(id)).as("label of %s", id).isEqualTo(label));
        assertThat(output.deadLetters).hasSize(20);
        assertThat(output.deadLetters)
                .extracting(DeadLetter::getReason)
                .containsExactlyInAnyOrderElementsOf(invalidReasons.values());
        for (DeadLetter deadLetter : output.deadLetters) {
            assertThat(deadLetter.getTopic()).isEqualTo(topics.input);
            assertThat(deadLetter.getOffset()).isNotNegative();
            assertThat(deadLetter.getPayload().remaining()).isPositive();
            assertThat(deadLetter.getMessage()).isNotBlank();
        }
        // Every enrichment is there, and entity offsets point into the text that came in.
        Map<String, String> inputTexts = new HashMap<>();
        valid.forEach(b -> {
            TextEvent event = AvroBytes.read(b, TextEvent.class);
            inputTexts.put(event.getId(), event.getText());
        });
        int entityCount = 0;
        for (EnrichedText record : output.records) {
            String text = inputTexts.get(record.getId());
            assertThat(record.getText()).isEqualTo(text);
            assertThat(record.getSummary()).isNotNull();
            assertThat(text).contains(record.getSummary().getText().split("(?<=[.!?]) ")[0]);
            for (var entity : record.getEntities()) {
                assertThat(text.substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
                assertThat(entity.getType()).isIn("PER", "ORG", "LOC", "MISC");
                entityCount++;
            }
        }
        assertThat(entityCount).as("entities found in the sample texts").isGreaterThan(200);
        EnrichedText any = output.first;
        assertThat(any.getProvenance().getModelId()).contains("int8");
        assertThat(any.getProvenance().getWeightsSha256()).hasSize(64);
        assertThat(any.getSource()).isEqualTo("it");
    }

    @Test
    void jsonInputIsEnrichedToo() throws Exception {
        Topics topics = Topics.create("json", 1);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String text = (i % 2 == 0 ? CLEARLY_POSITIVE : CLEARLY_NEGATIVE).get(i / 2 % 5);
            payloads.add(("{\"id\":\"j-" + i + "\",\"text\":\"" + text + "\",\"source\":\"json\","
                            + "\"event_time\":\"2026-11-25T10:00:00Z\",\"attributes\":{\"lang\":\"en\"}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        payloads.add("{\"id\": 5, \"text\": \"wrong type\"}".getBytes(StandardCharsets.UTF_8));
        broker.produce(topics.input, payloads);

        runJob(topics, InputFormat.JSON);

        Output output = readAll(topics, 41);
        assertThat(output.enrichedIds).hasSize(40).doesNotHaveDuplicates();
        for (int i = 0; i < 40; i++) {
            assertThat(output.labels.get("j-" + i)).isEqualTo(i % 2 == 0 ? "positive" : "negative");
        }
        assertThat(output.first.getAttributes()).containsEntry("lang", "en");
        assertThat(output.first.getEventTime().toString()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(output.deadLetters)
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE));
    }

    /**
     * Schema Registry framed Avro from two producers, one on the current TextEvent schema and one a version ahead (an
     * extra field), with the writer schemas served by a registry REST endpoint (the JDK's HTTP server standing in for
     * Schema Registry, which cannot run here): both are enriched; an id the registry does not know is dead-lettered.
     */
    @Test
    void readsSchemaRegistryFramedAvroWithEachWritersSchema() throws Exception {
        Schema ahead = SchemaBuilder.record("TextEvent")
                .namespace("io.heed.schemas")
                .fields()
                .requiredString("id")
                .optionalString("text")
                .name("source")
                .type()
                .stringType()
                .stringDefault("")
                .name("priority")
                .type()
                .intType()
                .intDefault(0)
                .endRecord();
        Map<Integer, Schema> registered = Map.of(1, TextEvent.getClassSchema(), 2, ahead);
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/schemas/ids/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/schemas/ids/".length());
            Schema schema = registered.get(Integer.parseInt(id));
            byte[] body = (schema == null
                            ? "{\"error_code\":40403,\"message\":\"Schema not found\"}"
                            : new ObjectMapper().writeValueAsString(Map.of("schema", schema.toString())))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(schema == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try {
            Topics topics = Topics.create("registry", 1);
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String text = CLEARLY_POSITIVE.get(i % 5);
                if (i % 2 == 0) {
                    payloads.add(registryFramed(
                            1,
                            AvroBytes.write(TextEvent.newBuilder()
                                    .setId("c-" + i)
                                    .setText(text)
                                    .setSource("current")
                                    .build())));
                } else {
                    GenericRecord event = new GenericData.Record(ahead);
                    event.put("id", "a-" + i);
                    event.put("text", text);
                    event.put("source", "ahead");
                    event.put("priority", 2);
                    payloads.add(registryFramed(2, AvroBytes.writeGeneric(event)));
                }
            }
            payloads.add(registryFramed(
                    3,
                    AvroBytes.write(TextEvent.newBuilder()
                            .setId("u-3")
                            .setText("unknown id")
                            .build())));
            broker.produce(topics.input, payloads);

            runJob(options(topics, InputFormat.AVRO_CONFLUENT)
                    .schemaRegistryUrl(
                            "http://127.0.0.1:" + registry.getAddress().getPort())
                    .build());

            Output output = readAll(topics, 11);
            assertThat(output.enrichedIds)
                    .containsExactlyInAnyOrder("c-0", "a-1", "c-2", "a-3", "c-4", "a-5", "c-6", "a-7", "c-8", "a-9");
            assertThat(output.labels.values()).containsOnly("positive");
            assertThat(output.records)
                    .allSatisfy(
                            r -> assertThat(r.getSource()).isEqualTo(r.getId().startsWith("a-") ? "ahead" : "current"));
            assertThat(output.deadLetters).singleElement().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
                assertThat(d.getMessage()).contains("schema id 3 is not in the schema registry");
            });
        } finally {
            registry.stop(0);
        }
    }

    private static byte[] registryFramed(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(body)
                .array();
    }

    @Test
    void usersHuggingFaceExportsComputeSentimentAndEntities(@TempDir Path models) throws Exception {
        // Generated in the build from the bundled encoder (no downloads); their heads key on a few words.
        Path sentimentModel = HfModelFixtures.writeSequenceClassifier(models.resolve("sst2-export"));
        Path entitiesModel = HfModelFixtures.writeTokenClassifier(models.resolve("ner-export"));
        Topics topics = Topics.create("byo", 1);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("b-0", "I love Paris, the food was great.");
        texts.put("b-1", "A terrible day: Barack Obama left Google in London 🎉 and felt sad.");
        texts.put("b-2", "Angela Smith had a wonderful week in Zurich.");
        List<byte[]> payloads = new ArrayList<>();
        texts.forEach((id, text) -> payloads.add(AvroBytes.write(
                TextEvent.newBuilder().setId(id).setText(text).setSource("byo").build())));
        broker.produce(topics.input, payloads);

        runJob(options(topics, InputFormat.AVRO)
                .set(HeedOptions.SENTIMENT_MODEL, sentimentModel.toString())
                .set(HeedOptions.ENTITIES_MODEL, entitiesModel.toString())
                .set(HeedOptions.TASKS, List.of(Task.SENTIMENT, Task.ENTITIES))
                .build());

        Output output = readAll(topics, texts.size());
        assertThat(output.deadLetters).isEmpty();
        assertThat(output.labels)
                .containsExactlyInAnyOrderEntriesOf(Map.of("b-0", "positive", "b-1", "negative", "b-2", "positive"));
        Map<String, List<String>> entities = new HashMap<>();
        for (EnrichedText record : output.records) {
            String text = texts.get(record.getId());
            for (var entity : record.getEntities()) {
                assertThat(text.substring(entity.getStart(), entity.getEnd())).isEqualTo(entity.getText());
            }
            entities.put(
                    record.getId(),
                    record.getEntities().stream()
                            .map(e -> e.getType() + ":" + e.getText())
                            .toList());
            assertThat(record.getProvenance().getModelId())
                    .contains("sentiment=hf:sst2-export", "entities=hf:ner-export");
            assertThat(record.getSummary()).isNull();
        }
        assertThat(entities.get("b-0")).containsExactly("LOC:Paris");
        assertThat(entities.get("b-1")).containsExactly("PER:Barack Obama", "ORG:Google", "LOC:London");
        assertThat(entities.get("b-2")).containsExactly("PER:Angela Smith", "LOC:Zurich");
    }

    private void runJob(Topics topics, InputFormat format) throws Exception {
        runJob(options(topics, format).build());
    }

    private static EnrichmentJobOptions.Builder options(Topics topics, InputFormat format) {
        return EnrichmentJobOptions.builder()
                .brokers(broker.bootstrapServers())
                .inputTopic(topics.input)
                .outputTopic(topics.output)
                .deadLetterTopic(topics.deadLetters)
                .groupId("it-" + topics.input)
                .transactionalIdPrefix("it-" + topics.input)
                .format(format)
                .set(HeedOptions.MAX_TEXT_BYTES, new MemorySize(MAX_TEXT_BYTES))
                .checkpointInterval(Duration.ofMillis(500))
                .bounded(true);
    }

    private static void runJob(EnrichmentJobOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EnrichmentJob.build(env, options);
        env.execute("heed-it-" + options.inputTopic());
    }

    private record Topics(String input, String output, String deadLetters) {
        static Topics create(String name, int partitions) {
            Topics topics = new Topics("in-" + name, "out-" + name, "dlq-" + name);
            broker.createTopics(partitions, topics.input, topics.output, topics.deadLetters);
            return topics;
        }
    }

    private static final class Output {
        final List<String> enrichedIds = new ArrayList<>();
        final Map<String, String> labels = new HashMap<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<EnrichedText> records = new ArrayList<>();
        EnrichedText first;
    }

    private static Output readAll(Topics topics, int expected) {
        Output output = new Output();
        try (CommittedReader reader =
                new CommittedReader(broker.bootstrapServers(), List.of(topics.output, topics.deadLetters))) {
            java.util.function.BiConsumer<String, byte[]> collect = (topic, value) -> {
                if (topic.equals(topics.output)) {
                    EnrichedText record = AvroBytes.read(value, EnrichedText.class);
                    output.enrichedIds.add(record.getId());
                    output.labels.put(record.getId(), record.getSentiment().getLabel());
                    output.records.add(record);
                    if (output.first == null) {
                        output.first = record;
                    }
                } else {
                    output.deadLetters.add(AvroBytes.read(value, DeadLetter.class));
                }
            };
            boolean complete = reader.readUntil(
                    () -> output.enrichedIds.size() + output.deadLetters.size() >= expected,
                    Duration.ofSeconds(60),
                    collect);
            assertThat(complete)
                    .as("all %d records committed within 60 s", expected)
                    .isTrue();
            // Keep reading a little: duplicates would show up as more records than were sent.
            reader.readUntil(() -> false, Duration.ofSeconds(2), collect);
        }
        return output;
    }
}
