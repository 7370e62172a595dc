/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.schemas.EnrichedText;
import io.heed.schemas.EntitySpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink SQL with Heed as the model provider: {@code CREATE MODEL ... WITH ('provider' = 'heed')} and {@code
 * ML_PREDICT} in a table environment on a MiniCluster, the real bundled model, and every output column compared with
 * what the DataStream operator writes for the same texts.
 */
class SqlModelProviderIT {
    private static final List<String> TEXTS = List.of(
            "Absolutely loved the new update, the app is so much faster now!",
            "Terrible support: the refund never arrived and nobody answers my emails.",
            "Angela Merkel met Emmanuel Macron in Paris on Tuesday. They discussed the budget. Talks go on in Geneva.",
            "Hi, quick question: does the Pro plan include API access?",
            "",
            "The delivery was late again. The box was damaged. I want my money back.");

    private static final String OUTPUT_COLUMNS = "sentiment STRING, sentiment_score FLOAT,"
            + " sentiment_probabilities MAP<STRING, FLOAT>,"
            + " entities ARRAY<ROW<text STRING, type STRING, `start` INT, `end` INT, score FLOAT>>,"
            + " summary STRING, model_id STRING, error STRING";

    /** Keeps the functions' metrics after the query ends, to read the batch sizes the async path ran. */
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    /** The table environment runs its queries here (the extension makes it the context environment). */
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(loopback()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private TableEnvironment tableEnvironment;
    private static Map<Integer, EnrichedText> expected;
    private static String modelId;

    /** The DataStream operator's results for the same texts (the non-blank ones), by text index. */
    @BeforeAll
    static void enrichWithTheDataStreamOperator() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, loopback());
        List<RawRecord> records = IntStream.range(0, TEXTS.size())
                .filter(i -> !TEXTS.get(i).isEmpty())
                .mapToObj(i -> RawRecord.of(TestEvents.avro(TestEvents.event(Integer.toString(i), TEXTS.get(i)))))
                .toList();
        HeedEnrichment.Result result = HeedEnrichment.enrich(
                env.fromData(records), EnrichmentSettings.builder().build());
        expected = new HashMap<>();
        try (CloseableIterator<EnrichedText> enriched = result.enriched().executeAndCollect()) {
            enriched.forEachRemaining(record -> expected.put(Integer.parseInt(record.getId()), record));
        }
        assertThat(expected).hasSize(records.size());
        modelId = expected.values().iterator().next().getProvenance().getModelId();
    }

    /** Per test: the extension makes its MiniCluster the context environment for each test method. */
    @BeforeEach
    void createTheTableAndTheModel() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tableEnvironment = StreamTableEnvironment.create(env);
        String values = IntStream.range(0, TEXTS.size())
                .mapToObj(i -> "(" + i + ", '" + TEXTS.get(i).replace("'", "''") + "')")
                .collect(Collectors.joining(", "));
        tableEnvironment.executeSql("CREATE TEMPORARY VIEW texts AS SELECT * FROM (VALUES " + values + ", ("
                + TEXTS.size() + ", CAST(NULL AS STRING))) AS t(id, text)");
        tableEnvironment.executeSql("CREATE MODEL nlp INPUT (text STRING) OUTPUT (" + OUTPUT_COLUMNS + ")"
                + " WITH ('provider' = 'heed', 'tasks' = 'sentiment,entities,summary', 'max-batch-wait' = '20 ms')");
    }

    @Test
    void asyncPredictMatchesTheOperatorAndBatchesConcurrentRows() throws Exception {
        Predicted predicted = predict("MAP['async', 'true', 'max-concurrent-operations', '16']");
        checkAgainstTheOperator(predicted.rows());

        Histogram batchSize = (Histogram) metric(predicted.job(), ".*heed\\.batchSize");
        assertThat(batchSize.getStatistics().getMax())
                .as("rows in flight together run as one batch")
                .isGreaterThan(1);
        assertThat(((Counter) metric(predicted.job(), ".*heed\\.recordsIn")).getCount())
                .isEqualTo(TEXTS.size() + 1);
        assertThat(((Counter) metric(predicted.job(), ".*heed\\.recordsRejected")).getCount())
                .as("the blank and the null text")
                .isEqualTo(2);
    }

    @Test
    void theConfigMapOfMlPredictSetsTheOperatorOptionsOfOneQuery() throws Exception {
        Predicted predicted = predict("MAP['async', 'true', 'max-concurrent-operations', '16', 'max-batch-size', '1']");
        checkAgainstTheOperator(predicted.rows());
        assertThat(((Histogram) metric(predicted.job(), ".*heed\\.batchSize"))
                        .getStatistics()
                        .getMax())
                .as("max-batch-size 1 from the query's config map")
                .isEqualTo(1);

        assertThatThrownBy(() -> predict("MAP['async', 'true', 'max-batch-size', '0']"))
                .hasStackTraceContaining(
                        "Invalid Heed option in the ML_PREDICT config map: Invalid value '0' for max-batch-size");
    }

    @Test
    void syncPredictMatchesTheOperator() throws Exception {
        checkAgainstTheOperator(predict("MAP['async', 'false']").rows());
    }

    @Test
    void aWrongSchemaFailsWhenTheQueryIsPlanned() {
        tableEnvironment.executeSql("CREATE MODEL two_inputs INPUT (text STRING, lang STRING) OUTPUT (sentiment STRING)"
                + " WITH ('provider' = 'heed')");
        assertThatThrownBy(() -> tableEnvironment.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE texts, MODEL two_inputs, DESCRIPTOR(text, text))"))
                .hasStackTraceContaining("one STRING input column");

        tableEnvironment.executeSql(
                "CREATE MODEL unknown_output INPUT (text STRING) OUTPUT (mood STRING)" + " WITH ('provider' = 'heed')");
        assertThatThrownBy(() -> tableEnvironment.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE texts, MODEL unknown_output, DESCRIPTOR(text))"))
                .hasStackTraceContaining("Unknown Heed model output column 'mood'");

        tableEnvironment.executeSql("CREATE MODEL missing_task INPUT (text STRING) OUTPUT (summary STRING)"
                + " WITH ('provider' = 'heed', 'tasks' = 'sentiment')");
        assertThatThrownBy(() -> tableEnvironment.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE texts, MODEL missing_task, DESCRIPTOR(text))"))
                .hasStackTraceContaining("needs the task summary");

        tableEnvironment.executeSql("CREATE MODEL bad_option INPUT (text STRING) OUTPUT (sentiment STRING)"
                + " WITH ('provider' = 'heed', 'encoder-weights' = 'huge')");
        assertThatThrownBy(() -> tableEnvironment.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE texts, MODEL bad_option, DESCRIPTOR(text))"))
                .isInstanceOf(ValidationException.class)
                .hasStackTraceContaining("Invalid value 'huge' for encoder-weights: expected one of tuned, frozen,");
    }

    private static Configuration loopback() {
        Configuration config = new Configuration();
        config.setString("rest.bind-address", "127.0.0.1");
        config.setString("rest.address", "127.0.0.1");
        return config;
    }

    private record Predicted(Map<Integer, Row> rows, JobID job) {}

    private Predicted predict(String config) throws Exception {
        TableResult result = tableEnvironment.executeSql("SELECT id, sentiment, sentiment_score,"
                + " sentiment_probabilities, entities, summary, model_id, error"
                + " FROM ML_PREDICT(TABLE texts, MODEL nlp, DESCRIPTOR(text), " + config + ")");
        Map<Integer, Row> rows = new HashMap<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            iterator.forEachRemaining(row -> rows.put((Integer) row.getField("id"), row));
        }
        return new Predicted(rows, result.getJobClient().orElseThrow().getJobID());
    }

    private static Metric metric(JobID job, String pattern) {
        REPORTER.findMetrics(job, ".*").keySet().forEach(k -> System.err.println("DEBUGM " + k));
        return REPORTER.findMetric(job, pattern)
                .orElseThrow(() -> new AssertionError("no metric " + pattern + " in job " + job));
    }

    /** Every output column against the DataStream operator's record for the same text; errors for the others. */
    private static void checkAgainstTheOperator(Map<Integer, Row> rows) {
        assertThat(rows).hasSize(TEXTS.size() + 1);
        for (int id = 0; id < TEXTS.size(); id++) {
            Row row = rows.get(id);
            if (TEXTS.get(id).isEmpty()) {
                assertThat(row.getField("sentiment")).isNull();
                assertThat(row.getField("entities")).isNull();
                assertThat((String) row.getField("error")).startsWith("BLANK_TEXT");
                continue;
            }
            EnrichedText want = expected.get(id);
            assertThat(row.getField("error")).isNull();
            assertThat(row.getField("sentiment")).isEqualTo(want.getSentiment().getLabel());
            assertThat((Float) row.getField("sentiment_score"))
                    .isEqualTo(want.getSentiment().getScore());
            assertThat(row.getField("sentiment_probabilities"))
                    .isEqualTo(want.getSentiment().getProbabilities());
            List<String> entities = new ArrayList<>();
            for (Row entity : (Row[]) row.getField("entities")) {
                entities.add(entity.getField("text") + "/" + entity.getField("type") + "@" + entity.getField("start")
                        + "-" + entity.getField("end") + ":" + entity.getField("score"));
            }
            assertThat(entities)
                    .containsExactlyElementsOf(want.getEntities().stream()
                            .map(SqlModelProviderIT::describe)
                            .toList());
            assertThat(row.getField("summary")).isEqualTo(want.getSummary().getText());
            assertThat(row.getField("model_id")).isEqualTo(want.getProvenance().getModelId());
        }
        Row nullText = rows.get(TEXTS.size());
        assertThat((String) nullText.getField("error")).startsWith("MISSING_TEXT");
        assertThat(nullText.getField("model_id")).isEqualTo(modelId);
        assertThat(((Row[]) rows.get(2).getField("entities")).length).isGreaterThanOrEqualTo(3);
    }

    private static String describe(EntitySpan entity) {
        return entity.getText() + "/" + entity.getType() + "@" + entity.getStart() + "-" + entity.getEnd() + ":"
                + entity.getScore();
    }
}
