/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.InferenceDevice;
import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.models.TextAnalysis;
import io.heed.models.TextModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The default int8 encoder (tuned weights, activations quantised per token row) gives a text the same result alone, in
 * a batch of its own and in a shuffled batch of other texts of other lengths: bit for bit, token states and every task
 * result. The stock int8 graph (frozen weights, per-tensor activation scales) is the control: it does depend on the
 * batch, so the check is able to see a difference.
 */
class BatchInvarianceTest {
    private static final String LONG_ARTICLE = String.join(
            " ",
            Collections.nCopies(
                    6,
                    "The city council of Rotterdam approved a new harbour plan on Tuesday after a long debate. "
                            + "Maria de Vries, who leads the port authority, said the decision would bring jobs."));

    private static final List<String> TEXTS = List.of(
            "Great phone.",
            "The battery died after two days and support never answered my three emails about it.",
            "Hi, quick question: does the Pro plan include API access for our team in Berlin?",
            "Angela Merkel met Emmanuel Macron in Paris to discuss the budget.",
            "meh",
            "Super comfy running shoes. Ran my first half marathon in them and my feet were fine!",
            LONG_ARTICLE);

    private static final List<String> OTHERS = List.of(
            "Worst hotel stay ever, the room smelled of smoke and nobody cared.",
            "Apple opened a new office in London; Tim Cook visited the team.",
            "ok",
            "Volunteers removed more than four tonnes of plastic from beaches near Lisbon over the weekend, the "
                    + "organisers said, and they plan to return next month with twice as many people.");

    /** Each text alone, then all together, then mixed with others in a shuffled order: each result the same. */
    private static void assertSameInEveryBatch(java.util.function.Function<List<String>, List<?>> run) {
        List<Object> alone = new ArrayList<>();
        for (String text : TEXTS) {
            alone.add(run.apply(List.of(text)).get(0));
        }
        assertThat(new ArrayList<Object>(run.apply(TEXTS))).containsExactlyElementsOf(alone);

        List<String> mixed = new ArrayList<>(TEXTS);
        mixed.addAll(OTHERS);
        Collections.shuffle(mixed, new Random(42));
        List<?> mixedResults = run.apply(mixed);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(mixedResults.get(mixed.indexOf(TEXTS.get(i))))
                    .as("result of text %d in a shuffled batch of %d", i, mixed.size())
                    .isEqualTo(alone.get(i));
        }
    }

    @Test
    void theDefaultInt8EncoderGivesBitIdenticalTokenStatesInAnyBatch() {
        try (TransformerEncoder int8 = TransformerEncoder.load(EncoderVariant.INT8, Windowing.of(64), 1)) {
            // Float arrays compared as lists of boxed floats: equality is bit for bit (Float.equals).
            assertSameInEveryBatch(texts -> int8.encode(texts).stream()
                    .map(states -> {
                        List<Float> values = new ArrayList<>();
                        for (float v : states.states()) {
                            values.add(v);
                        }
                        return values;
                    })
                    .toList());
        }
    }

    @Test
    void theDefaultModelGivesBitIdenticalResultsForEveryTaskInAnyBatch() {
        ModelSpec spec = ModelSpec.builder()
                .tasks(EnumSet.of(Task.SENTIMENT, Task.ENTITIES, Task.SUMMARY))
                .windowTokens(64)
                .intraOpThreads(1)
                .build();
        try (TextModel model = TextModel.load(spec)) {
            assertThat(model.info().modelId()).contains("int8");
            // TextAnalysis and its parts are records: equals compares every float bit for bit.
            assertSameInEveryBatch(texts -> model.analyze(texts));
            List<TextAnalysis> once = model.analyze(TEXTS);
            assertThat(once.get(3).entities()).isNotEmpty();
            assertThat(once.get(6).summary()).isPresent();
        }
    }

    @Test
    void theStockInt8GraphIsTheControlAndDependsOnItsBatch() {
        try (TransformerEncoder stock = TransformerEncoder.load(
                EncoderVariant.INT8, EncoderWeights.FROZEN, Windowing.of(64), 1, InferenceDevice.cpu())) {
            float[] alone = stock.encode(List.of(TEXTS.get(0))).get(0).states();
            float[] batched =
                    stock.encode(List.of(OTHERS.get(3), TEXTS.get(0))).get(1).states();
            assertThat(batched).hasSameSizeAs(alone).isNotEqualTo(alone);
        }
    }
}
