/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeedOptionsTest {

    @Test
    void noOptionsGiveTheModelSpecDefaults() {
        assertThat(HeedOptions.modelSpec(HeedOptions.fromStrings(Map.of())))
                .isEqualTo(ModelSpec.builder().build());
    }

    @Test
    void writtenOptionsBuildTheModelSpec() {
        ModelSpec spec = HeedOptions.modelSpec(HeedOptions.fromStrings(Map.of(
                "tasks", "sentiment,entities",
                "encoder", "fp32",
                "encoder-weights", "bge-small",
                "summary-max-words", "80",
                "sentiment-model", " ")));

        assertThat(spec.tasks()).isEqualTo(EnumSet.of(Task.SENTIMENT, Task.ENTITIES));
        assertThat(spec.encoder()).isEqualTo(EncoderVariant.FP32);
        assertThat(spec.weights()).isEqualTo(EncoderWeights.BGE_SMALL);
        assertThat(spec.summaryMaxWords()).isEqualTo(80);
        assertThat(spec.sentimentModelDir()).isEmpty();
        // Flink's own list syntax still works.
        assertThat(HeedOptions.modelSpec(HeedOptions.fromStrings(Map.of("tasks", "summary;entities")))
                        .tasks())
                .isEqualTo(EnumSet.of(Task.SUMMARY, Task.ENTITIES));
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> HeedOptions.modelSpec(HeedOptions.fromStrings(Map.of("tasks", "mood"))))
                .hasMessageContaining("tasks");
        assertThatThrownBy(() -> HeedOptions.modelSpec(HeedOptions.fromStrings(Map.of("summary-sentences", "0"))))
                .hasMessageContaining("summarySentences");
    }
}
