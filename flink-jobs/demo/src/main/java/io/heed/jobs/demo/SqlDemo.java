/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heed.jobs.embedded.CommittedReader;
import io.heed.jobs.embedded.EmbeddedKafkaBroker;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The Flink SQL way, on one machine: an in-process KRaft broker with the sample texts as JSON, a Kafka table over them,
 * a Heed model created with {@code CREATE MODEL ... WITH ('provider' = 'heed')}, and an {@code INSERT INTO} a Kafka
 * sink table from {@code ML_PREDICT}; then every result row is read back and printed. The statements it runs are
 * printed first, so they can be pasted into the SQL Client of a cluster (with the real brokers).
 */
public final class SqlDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT_TOPIC = "texts";
    private static final String OUTPUT_TOPIC = "texts-nlp";

    private SqlDemo() {}

    public static void main(String[] args) throws Exception {
        System.exit(run());
    }

    static int run() throws Exception {
        Path workDir = Files.createTempDirectory("heed-sql-demo-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(1, INPUT_TOPIC, OUTPUT_TOPIC);
            int produced = produce(broker);
            System.out.printf(
                    "Heed SQL demo: Kafka %s (in-process KRaft), produced %d JSON records to '%s'%n%n",
                    broker.bootstrapServers(), produced, INPUT_TOPIC);

            TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.newInstance()
                    .inStreamingMode()
                    .withConfiguration(LocalFlinkConfig.loopback(workDir, 0))
                    .build());
            List<String> statements = statements(broker.bootstrapServers());
            for (int i = 0; i < statements.size() - 1; i++) {
                System.out.println(statements.get(i) + ";\n");
                sql.executeSql(statements.get(i));
            }
            String insert = statements.get(statements.size() - 1);
            System.out.println(insert + ";\n");
            long start = System.nanoTime();
            sql.executeSql(insert).await();

            Map<String, JsonNode> results = new LinkedHashMap<>();
            try (CommittedReader reader = new CommittedReader(broker.bootstrapServers(), List.of(OUTPUT_TOPIC))) {
                reader.readUntil(() -> results.size() >= produced, Duration.ofMinutes(2), (topic, value) -> {
                    try {
                        JsonNode row = JSON.readTree(new String(value, StandardCharsets.UTF_8));
                        results.put(row.get("id").asText(), row);
                        System.out.println(describe(row));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            long errors = results.values().stream()
                    .filter(r -> !r.path("error").isNull() && !r.path("error").isMissingNode())
                    .count();
            System.out.printf(
                    Locale.ROOT,
                    "%nHeed SQL demo: %d in, %d out (%d with an error column), %.1f s for the INSERT, model load"
                            + " included%n",
                    produced,
                    results.size(),
                    errors,
                    (System.nanoTime() - start) / 1e9);
            return results.size() == produced ? 0 : 1;
        } finally {
            EmbeddedDemo.deleteQuietly(workDir);
        }
    }

    /** The DDL and the query, as a user would write them in the SQL Client. */
    static List<String> statements(String brokers) {
        return List.of(
                "CREATE TABLE texts (\n  id STRING,\n  `text` STRING\n) WITH (\n  'connector' = 'kafka',\n"
                        + "  'topic' = '" + INPUT_TOPIC + "',\n  'properties.bootstrap.servers' = '" + brokers
                        + "',\n  'properties.group.id' = 'heed-sql-demo',\n"
                        + "  'scan.startup.mode' = 'earliest-offset',\n  'scan.bounded.mode' = 'latest-offset',\n"
                        + "  'format' = 'json'\n)",
                "CREATE TABLE texts_nlp (\n  id STRING,\n  sentiment STRING,\n  sentiment_score FLOAT,\n"
                        + "  entities ARRAY<ROW<`text` STRING, type STRING, `start` INT, `end` INT>>,\n"
                        + "  summary STRING,\n  error STRING\n) WITH (\n  'connector' = 'kafka',\n"
                        + "  'topic' = '" + OUTPUT_TOPIC + "',\n  'properties.bootstrap.servers' = '" + brokers
                        + "',\n  'format' = 'json'\n)",
                "CREATE MODEL ticket_nlp\n  INPUT (`text` STRING)\n  OUTPUT (sentiment STRING, sentiment_score FLOAT,\n"
                        + "          entities ARRAY<ROW<`text` STRING, type STRING, `start` INT, `end` INT>>,\n"
                        + "          summary STRING, error STRING)\n"
                        + "  WITH ('provider' = 'heed', 'tasks' = 'sentiment,entities,summary')",
                "INSERT INTO texts_nlp\nSELECT id, sentiment, sentiment_score, entities, summary, error\n"
                        + "FROM ML_PREDICT(TABLE texts, MODEL ticket_nlp, DESCRIPTOR(`text`),\n"
                        + "                MAP['async', 'true', 'max-concurrent-operations', '128'])");
    }

    /** The sample texts as JSON, and one blank text that must come out with an error column. */
    private static int produce(EmbeddedKafkaBroker broker) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (TextEvent event : SampleTexts.load()) {
            payloads.add(JSON.writeValueAsBytes(Map.of("id", event.getId(), "text", event.getText())));
        }
        payloads.add(JSON.writeValueAsBytes(Map.of("id", "broken-blank", "text", "   ")));
        broker.produce(INPUT_TOPIC, payloads);
        return payloads.size();
    }

    private static String describe(JsonNode row) {
        if (!row.path("error").isNull() && !row.path("error").isMissingNode()) {
            return String.format(
                    Locale.ROOT,
                    "%-12s ERROR %s",
                    row.get("id").asText(),
                    row.get("error").asText());
        }
        String entities = java.util.stream.StreamSupport.stream(
                        row.path("entities").spliterator(), false)
                .map(e -> e.path("text").asText() + " (" + e.path("type").asText() + ")")
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "%-12s %-8s %.2f  %s",
                row.get("id").asText(),
                row.path("sentiment").asText(),
                row.path("sentiment_score").asDouble(),
                entities.isEmpty() ? "" : "entities: " + entities);
    }
}
