/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.encoder.EncoderWeights;
import io.heed.models.entities.Entity;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * This module's test classpath is what a user gets with {@code heed-models} alone: the stock encoder and its heads,
 * not {@code heed-models-weights}. The frozen model must run, and the default must fail saying what to add.
 */
class WithoutTunedWeightsTest {

    @Test
    void theDefaultWeightsFailNamingTheArtifactThatShipsThem() {
        assertThatThrownBy(() -> TextModel.load(ModelSpec.builder().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-tuned.bin")
                .hasMessageContaining("io.heed:heed-models-weights");
    }

    @Test
    void theFrozenWeightsRunSentimentAndEntitiesWithTheStockEncoderAlone() {
        ModelSpec spec = ModelSpec.builder()
                .weights(EncoderWeights.FROZEN)
                .tasks(EnumSet.of(Task.SENTIMENT, Task.ENTITIES))
                .build();
        try (TextModel model = TextModel.load(spec)) {
            TextAnalysis result = model.analyze(List.of("Angela Merkel met Emmanuel Macron in Paris."))
                    .get(0);
            assertThat(result.sentiment()).isPresent();
            assertThat(result.entities()).extracting(Entity::text).contains("Paris");
        }
    }
}
