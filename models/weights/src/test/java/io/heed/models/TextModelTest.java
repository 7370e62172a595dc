/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.entities.Entity;
import io.heed.models.summary.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextModelTest {

    @Test
    void analysesABatchWithOneEncoderPassAndNamesItsWeights() {
        try (TextModel model = TextModel.load(ModelSpec.builder()
                .encoder(EncoderVariant.FP32)
                .windowTokens(64)
                .build())) {
            long before = model.encoderPasses();
            List<TextAnalysis> results = model.analyze(List.of(
                    "I absolutely love this, it works perfectly.",
                    "Awful experience, a complete waste of money.",
                    "word ".repeat(100)));

            assertThat(model.encoderPasses() - before).isEqualTo(1);
            assertThat(results).hasSize(3);
            assertThat(results.get(0).sentiment())
                    .get()
                    .extracting(s -> s.label())
                    .isEqualTo("positive");
            assertThat(results.get(1).sentiment())
                    .get()
                    .extracting(s -> s.label())
                    .isEqualTo("negative");
            // 102 tokens in 64-token windows: covered whole, not cut.
            assertThat(results.get(2).truncated()).isFalse();
            assertThat(results.get(2).tokenCount()).isEqualTo(102);
            assertThat(results.get(0).sentiment().get().topTokens())
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.end()).isGreaterThan(t.start()));
            ModelInfo info = model.info();
            assertThat(info.modelId())
                    .isEqualTo(
                            "heed/all-MiniLM-L6-v2-fp32-tuned+sentiment-attention-v1+entities-crf-v1+summary-attention-v1");
            assertThat(info.weightsSha256()).hasSize(64);
            assertThat(info.engine()).startsWith("OnnxRuntime");
        }
    }

    @Test
    void tunedWeightsRunTheFineTunedEncoderWithTheHeadsTrainedWithIt() {
        List<String> texts = List.of("Angela Merkel met Emmanuel Macron in Paris and loved the visit.");
        try (TextModel tuned = TextModel.load(
                        ModelSpec.builder().weights(EncoderWeights.TUNED).build());
                TextModel frozen = TextModel.load(
                        ModelSpec.builder().weights(EncoderWeights.FROZEN).build())) {
            assertThat(tuned.info().modelId()).startsWith("heed/all-MiniLM-L6-v2-int8-tuned+");
            assertThat(frozen.info().modelId()).startsWith("heed/all-MiniLM-L6-v2-int8+");
            assertThat(tuned.info().weightsSha256()).isNotEqualTo(frozen.info().weightsSha256());
            TextAnalysis analysis = tuned.analyze(texts).get(0);
            assertThat(analysis.sentiment()).isPresent();
            assertThat(analysis.entities()).extracting(e -> e.text()).contains("Paris");
            assertThat(analysis.summary()).isPresent();
        }
    }

    @Test
    void everySubsetOfTasksCostsOneEncoderPassPerBatch() {
        List<String> texts = List.of(
                "Angela Merkel met Emmanuel Macron in Paris. They talked for an hour. Both looked pleased.",
                "The new Lufthansa lounge in Frankfurt is wonderful.");
        List<Set<Task>> subsets = List.of(
                EnumSet.of(Task.SENTIMENT),
                EnumSet.of(Task.ENTITIES),
                EnumSet.of(Task.SUMMARY),
                EnumSet.of(Task.SENTIMENT, Task.ENTITIES),
                EnumSet.of(Task.ENTITIES, Task.SUMMARY),
                EnumSet.allOf(Task.class));
        for (Set<Task> tasks : subsets) {
            try (TextModel model = TextModel.load(
                    ModelSpec.builder().tasks(tasks).windowTokens(64).build())) {
                long before = model.encoderPasses();
                List<TextAnalysis> results = model.analyze(texts);

                assertThat(model.encoderPasses() - before)
                        .as("encoder passes for %s", tasks)
                        .isEqualTo(1);
                assertThat(results.get(0).sentiment().isPresent()).isEqualTo(tasks.contains(Task.SENTIMENT));
                assertThat(results.get(0).summary().isPresent()).isEqualTo(tasks.contains(Task.SUMMARY));
                if (tasks.contains(Task.ENTITIES)) {
                    assertThat(results.get(0).entities())
                            .extracting(Entity::text)
                            .contains("Angela Merkel", "Emmanuel Macron", "Paris");
                } else {
                    assertThat(results.get(0).entities()).isEmpty();
                }
            }
        }
    }

    @Test
    void aTwentyThousandCharacterArticleKeepsExactOffsetsAndNoDuplicateEntities() {
        String paragraph = "Shares of Siemens rose in Frankfurt on Monday after Chief Executive Roland Busch said the "
                + "company would expand its factory in Zürich. Analysts at Deutsche Bank called the plan bold. "
                + "Meanwhile, Maria Rossi of the European Commission visited Łódź to discuss rail links with "
                + "Poland.  The visit was welcomed by local officials.\n\n";
        StringBuilder article = new StringBuilder();
        while (article.length() < 20_000) {
            article.append(paragraph);
        }
        String text = article.toString();
        try (TextModel model = TextModel.load(ModelSpec.builder().build())) {
            long before = model.encoderPasses();
            TextAnalysis result = model.analyze(List.of(text)).get(0);

            assertThat(model.encoderPasses() - before).isEqualTo(1);
            assertThat(result.truncated()).isFalse();
            assertThat(result.tokenCount()).isGreaterThan(3 * 256);
            List<Entity> entities = result.entities();
            assertThat(entities).hasSizeGreaterThan(50);
            for (Entity entity : entities) {
                assertThat(text.substring(entity.start(), entity.end())).isEqualTo(entity.text());
            }
            // No entity reported twice, and none overlapping another: windows were merged, not concatenated.
            for (int i = 1; i < entities.size(); i++) {
                assertThat(entities.get(i).start())
                        .isGreaterThanOrEqualTo(entities.get(i - 1).end());
            }
            // Entities are found in the last paragraphs too, far past the first window.
            assertThat(entities.get(entities.size() - 1).start()).isGreaterThan(text.length() - paragraph.length());
            Summary summary = result.summary().orElseThrow();
            assertThat(summary.sentenceIndices()).isNotEmpty().isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void theBundledHeadsRunInTheHeadsGraphAndAHeadFileInJavaWithTheSameResults(@TempDir Path dir) throws Exception {
        // The same head as the bundled one, given as a file: its network then runs in Java.
        Path head = dir.resolve("sentiment-head.bin");
        try (var in =
                getClass().getClassLoader().getResourceAsStream("io/heed/models/sentiment/sentiment-head-tuned.bin")) {
            Files.copy(in, head);
        }
        List<String> texts = List.of(
                "Super comfy running shoes. Ran my first half marathon in them and my feet thanked me.",
                "Hi, quick question: does the Pro plan include API access?",
                "The refund never arrived and support stopped answering my emails.");
        try (TextModel graph = TextModel.load(ModelSpec.builder().build());
                TextModel java = TextModel.load(
                        ModelSpec.builder().sentimentHeadPath(head.toString()).build())) {
            assertThat(graph.headsInGraph()).isTrue();
            List<TextAnalysis> fromGraph = graph.analyze(texts);
            List<TextAnalysis> fromJava = java.analyze(texts);
            for (int i = 0; i < texts.size(); i++) {
                var expected = fromJava.get(i).sentiment().orElseThrow();
                var actual = fromGraph.get(i).sentiment().orElseThrow();
                assertThat(actual.label()).isEqualTo(expected.label());
                for (String label : expected.probabilities().keySet()) {
                    assertThat(actual.probabilities().get(label))
                            .isCloseTo(
                                    expected.probabilities().get(label), org.assertj.core.api.Assertions.within(1e-4f));
                }
                assertThat(fromGraph.get(i).entities())
                        .isEqualTo(fromJava.get(i).entities());
            }
        }
    }

    @Test
    void aCorruptHeadFileFailsAtLoadNamingTheFile(@TempDir Path dir) throws Exception {
        Path head = dir.resolve("my-head.bin");
        Files.write(head, new byte[] {'H', 'E', 'E', 'D', 'H', 'E', 'A', 'D', 1, 0, 0, 0, '{'});

        assertThatThrownBy(() -> TextModel.load(
                        ModelSpec.builder().sentimentHeadPath(head.toString()).build()))
                .hasMessageContaining("my-head.bin");
    }

    @Test
    void specsAreValidatedWhenBuilt() {
        assertThatThrownBy(() -> ModelSpec.builder().windowTokens(4)).hasMessageContaining("windowTokens");
        assertThatThrownBy(() -> ModelSpec.builder().tasks(java.util.Set.of())).hasMessageContaining("at least one");
        assertThat(ModelSpec.builder().build()).isEqualTo(ModelSpec.builder().build());
        assertThatThrownBy(() -> ModelSpec.builder().summaryMaxWords(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("summaryMaxWords");
        assertThat(ModelSpec.builder().build().summaryMaxWords()).isZero();
        ModelSpec withBudget = ModelSpec.builder().summaryMaxWords(80).build();
        assertThat(withBudget.summaryMaxWords()).isEqualTo(80);
        assertThat(withBudget)
                .isNotEqualTo(ModelSpec.builder().build())
                .isEqualTo(withBudget.toBuilder().build())
                .hasSameHashCodeAs(withBudget.toBuilder().build());
        assertThat(withBudget.toString()).contains("summaryMaxWords=80");
    }

    @Test
    void concurrentBatchesSplitTheModelsThreads() {
        ModelSpec two = ModelSpec.builder().intraOpThreads(2).build();
        assertThat(two.resolvedConcurrentBatches()).isEqualTo(2);
        assertThat(two.sessionIntraOpThreads()).isEqualTo(1);
        ModelSpec sixteen = ModelSpec.builder().intraOpThreads(16).build();
        assertThat(sixteen.resolvedConcurrentBatches()).isEqualTo(2);
        assertThat(sixteen.sessionIntraOpThreads()).isEqualTo(15);
        ModelSpec one = ModelSpec.builder().intraOpThreads(1).build();
        assertThat(one.resolvedConcurrentBatches()).isEqualTo(1);
        assertThat(one.sessionIntraOpThreads()).isEqualTo(1);
        ModelSpec three =
                ModelSpec.builder().intraOpThreads(4).concurrentBatches(3).build();
        assertThat(three.sessionIntraOpThreads()).isEqualTo(2);
        assertThat(three).isNotEqualTo(ModelSpec.builder().intraOpThreads(4).build());
        assertThat(three.toBuilder().build()).isEqualTo(three);
        assertThatThrownBy(() -> ModelSpec.builder().concurrentBatches(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concurrentBatches");
    }

    @Test
    void textsTokenisedOnceForBatchingGiveWhatPlainTextsGive() {
        List<String> texts = List.of(
                "Anna Schmidt of Siemens flew to Paris on Monday. It was wonderful.",
                "Short one.",
                "x".repeat(3000) + " Berlin is far. " + "The service was slow and the food was cold. ".repeat(40));
        try (TextModel model =
                TextModel.load(ModelSpec.builder().windowTokens(64).build())) {
            List<io.heed.models.encoder.TokenizedText> tokenized =
                    texts.stream().map(model::tokenize).toList();
            assertThat(tokenized)
                    .extracting(io.heed.models.encoder.TokenizedText::tokenCount)
                    .containsExactlyElementsOf(
                            texts.stream().map(model::tokenCount).toList());
            assertThat(model.analyzeTokenized(tokenized)).isEqualTo(model.analyze(texts));
        }
    }

    @Test
    void concurrentCallsGiveWhatOneCallAtATimeGives() throws Exception {
        List<List<String>> batches = java.util.stream.IntStream.range(0, 6)
                .mapToObj(b -> java.util.stream.IntStream.range(0, 5)
                        .mapToObj(i -> "Text " + b + "." + i + ": Anna Schmidt of Siemens flew to Paris, and it was "
                                + (i % 2 == 0 ? "wonderful." : "a disaster.") + " She came back on Monday.")
                        .toList())
                .toList();
        try (TextModel model =
                TextModel.load(ModelSpec.builder().windowTokens(64).build())) {
            List<List<TextAnalysis>> alone =
                    batches.stream().map(model::analyze).toList();
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<List<TextAnalysis>>> together = new java.util.ArrayList<>();
                for (List<String> batch : batches) {
                    together.add(callers.submit(() -> model.analyze(batch)));
                }
                for (int b = 0; b < batches.size(); b++) {
                    assertThat(together.get(b).get()).isEqualTo(alone.get(b));
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(alone.get(0).get(0).entities()).isNotEmpty();
        }
    }
}
