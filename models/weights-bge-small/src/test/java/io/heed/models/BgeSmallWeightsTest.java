/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bge-small weights as a job selects them ({@code encoder-weights: bge-small}): the encoder the build derived from
 * the committed patch and the heads trained on it load through the same {@link TextModel} as the default, and read
 * real texts right. Accuracy per dataset is held by the tooling's accuracy tests.
 */
class BgeSmallWeightsTest {
    private static final String POSITIVE =
            "Super comfy running shoes. Ran my first half marathon in them and no blisters.";
    private static final String NEGATIVE =
            "Terrible service, the package arrived broken and nobody answered my emails.";
    private static final String QUESTION = "Hi, quick question: does the Pro plan include API access?";
    private static final String NEWS = "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss the budget.";

    @Test
    void runsTheFineTunedBgeSmallWithItsOwnHeads() {
        try (TextModel model = TextModel.load(ModelSpec.builder()
                .weights(EncoderWeights.BGE_SMALL)
                .intraOpThreads(1)
                .build())) {
            assertThat(model.info().modelId())
                    .isEqualTo("heed/bge-small-en-v1.5-int8-tuned+sentiment-attention-v1+entities-crf-v1"
                            + "+summary-attention-v1");
            List<TextAnalysis> results = model.analyze(List.of(POSITIVE, NEGATIVE, QUESTION, NEWS));

            assertThat(results.get(0).sentiment())
                    .get()
                    .extracting(Sentiment::label)
                    .isEqualTo("positive");
            assertThat(results.get(1).sentiment())
                    .get()
                    .extracting(Sentiment::label)
                    .isEqualTo("negative");
            assertThat(results.get(2).sentiment())
                    .get()
                    .extracting(Sentiment::label)
                    .isEqualTo("neutral");
            assertThat(results.get(1).sentiment().get().probabilities().values().stream()
                            .mapToDouble(Float::doubleValue)
                            .sum())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

            List<Entity> entities = results.get(3).entities();
            assertThat(entities)
                    .extracting(Entity::text, Entity::type)
                    .contains(tuple("Angela Merkel", "PER"), tuple("Emmanuel Macron", "PER"), tuple("Paris", "LOC"));
            assertThat(entities)
                    .allSatisfy(
                            e -> assertThat(NEWS.substring(e.start(), e.end())).isEqualTo(e.text()));
            assertThat(results.get(3).summary()).isPresent();
        }
    }

    @Test
    void int8ResultsDoNotDependOnTheBatch() {
        try (TextModel model = TextModel.load(ModelSpec.builder()
                .encoder(EncoderVariant.INT8)
                .weights(EncoderWeights.BGE_SMALL)
                .intraOpThreads(1)
                .build())) {
            TextAnalysis alone = model.analyze(List.of(QUESTION)).get(0);
            TextAnalysis batched =
                    model.analyze(List.of(NEWS, QUESTION, POSITIVE)).get(1);
            assertThat(batched.sentiment().get().probabilities())
                    .isEqualTo(alone.sentiment().get().probabilities());
        }
    }
}
