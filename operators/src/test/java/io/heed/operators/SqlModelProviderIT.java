/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.ModelSpec;
import io.heed.models.TextAnalysis;
import io.heed.models.TextModel;
import io.heed.models.entities.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flink SQL with Heed as the model provider: {@code CREATE MODEL ... WITH ('provider' = 'heed')} and {@code
 * ML_PREDICT} in a local TableEnvironment (a MiniCluster), the real bundled model, and every output column compared
 * with what the model itself returns for the same texts.
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

    private static TableEnvironment tableEnvironment;
    private static List<TextAnalysis> expected;
    private static String modelId;

    @BeforeAll
    static void setUp() {
        Configuration config = new Configuration();
        config.setString("rest.bind-address", "127.0.0.1");
        config.setString("rest.address", "127.0.0.1");
        config.setString("parallelism.default", "1");
        tableEnvironment = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(config)
                .build());
        String values = IntStream.range(0, TEXTS.size())
                .mapToObj(i -> "(" + i + ", '" + TEXTS.get(i).replace("'", "''") + "')")
                .collect(Collectors.joining(", "));
        tableEnvironment.executeSql("CREATE TEMPORARY VIEW texts AS SELECT * FROM (VALUES " + values + ", ("
                + TEXTS.size() + ", CAST(NULL AS STRING))) AS t(id, text)");
        tableEnvironment.executeSql("CREATE MODEL nlp INPUT (text STRING) OUTPUT (" + OUTPUT_COLUMNS + ")"
                + " WITH ('provider' = 'heed', 'tasks' = 'sentiment,entities,summary', 'max-batch-wait' = '20 ms')");
        try (TextModel model = TextModel.load(ModelSpec.builder().build())) {
            expected = model.analyze(TEXTS.stream().filter(t -> !t.isEmpty()).toList());
            modelId = model.info().modelId();
        }
    }

    @Test
    void asyncPredictMatchesTheModelAndBatchesConcurrentRows() throws Exception {
        Map<Integer, Row> rows = predict("MAP['async', 'true', 'max-concurrent-operations', '16']");
        checkAgainstTheModel(rows);
        assertThat(SqlPredictBatcher.largestBatch())
                .as("rows in flight together run as one batch")
                .isGreaterThan(1);
    }

    @Test
    void syncPredictMatchesTheModel() throws Exception {
        checkAgainstTheModel(predict("MAP['async', 'false']"));
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
                .isInstanceOf(ValidationException.class);
    }

    private static Map<Integer, Row> predict(String config) throws Exception {
        TableResult result = tableEnvironment.executeSql("SELECT id, sentiment, sentiment_score,"
                + " sentiment_probabilities, entities, summary, model_id, error"
                + " FROM ML_PREDICT(TABLE texts, MODEL nlp, DESCRIPTOR(text), " + config + ")");
        Map<Integer, Row> rows = new HashMap<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            iterator.forEachRemaining(row -> rows.put((Integer) row.getField("id"), row));
        }
        return rows;
    }

    private static void checkAgainstTheModel(Map<Integer, Row> rows) {
        assertThat(rows).hasSize(TEXTS.size() + 1);
        int analysed = 0;
        for (int id = 0; id < TEXTS.size(); id++) {
            Row row = rows.get(id);
            if (TEXTS.get(id).isEmpty()) {
                assertThat(row.getField("sentiment")).isNull();
                assertThat(row.getField("entities")).isNull();
                assertThat((String) row.getField("error")).startsWith("BLANK_TEXT");
                continue;
            }
            TextAnalysis want = expected.get(analysed++);
            assertThat(row.getField("error")).isNull();
            assertThat(row.getField("sentiment"))
                    .isEqualTo(want.sentiment().orElseThrow().label());
            assertThat((Float) row.getField("sentiment_score"))
                    .isEqualTo(want.sentiment().orElseThrow().score());
            assertThat(row.getField("sentiment_probabilities"))
                    .isEqualTo(want.sentiment().orElseThrow().probabilities());
            List<String> entities = new ArrayList<>();
            for (Row entity : (Row[]) row.getField("entities")) {
                entities.add(entity.getField("text") + "/" + entity.getField("type") + "@" + entity.getField("start")
                        + "-" + entity.getField("end"));
            }
            assertThat(entities)
                    .containsExactlyElementsOf(want.entities().stream()
                            .map(SqlModelProviderIT::describe)
                            .toList());
            assertThat(row.getField("summary"))
                    .isEqualTo(want.summary().map(s -> s.text()).orElse(null));
            assertThat(row.getField("model_id")).isEqualTo(modelId);
        }
        Row nullText = rows.get(TEXTS.size());
        assertThat((String) nullText.getField("error")).startsWith("MISSING_TEXT");
        assertThat(nullText.getField("model_id")).isEqualTo(modelId);
        assertThat(rows.get(2).getField("entities")).isNotNull();
        assertThat(((Row[]) rows.get(2).getField("entities")).length).isGreaterThanOrEqualTo(3);
    }

    private static String describe(Entity entity) {
        return entity.text() + "/" + entity.type() + "@" + entity.start() + "-" + entity.end();
    }
}
