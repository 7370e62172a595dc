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
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class HeedOptionsTest {
    private static final List<ConfigOption<?>> ALL = Stream.concat(
                    HeedOptions.MODEL_OPTIONS.stream(), HeedOptions.OPERATOR_OPTIONS.stream())
            .toList();

    private static Configuration written(Map<String, String> values) {
        return Configuration.fromMap(OptionValues.normalize(values, ALL));
    }

    @Test
    void noOptionsGiveTheDefaultsOfTheModelAndTheOperator() {
        EnrichmentSettings settings = HeedOptions.settings(new Configuration()).build();
        EnrichmentSettings defaults = EnrichmentSettings.builder().build();

        assertThat(settings.model()).isEqualTo(ModelSpec.builder().build());
        assertThat(settings).usingRecursiveComparison().ignoringFields("input").isEqualTo(defaults);
    }

    @Test
    void writtenOptionsBuildTheModelSpecAndTheSettings() {
        EnrichmentSettings settings = HeedOptions.settings(written(Map.of(
                        "tasks", "sentiment,entities",
                        "encoder", "fp32",
                        "encoder-weights", "bge-small",
                        "summary-max-words", "80",
                        "sentiment-model", " ",
                        "max-batch-size", "16",
                        "max-batch-wait", "20 ms",
                        "max-text-bytes", "512 kb",
                        "device", "cpu")))
                .build();
        ModelSpec spec = settings.model();

        assertThat(spec.tasks()).isEqualTo(EnumSet.of(Task.SENTIMENT, Task.ENTITIES));
        assertThat(spec.encoder()).isEqualTo(EncoderVariant.FP32);
        assertThat(spec.weights()).isEqualTo(EncoderWeights.BGE_SMALL);
        assertThat(spec.summaryMaxWords()).isEqualTo(80);
        assertThat(spec.sentimentModelDir()).isEmpty();
        assertThat(settings.maxBatchSize()).isEqualTo(16);
        assertThat(settings.maxBatchWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.maxTextBytes()).isEqualTo(512 * 1024);
        assertThat(settings.device()).isEqualTo(DevicePreference.CPU);
        // Flink's own list syntax still works.
        assertThat(HeedOptions.modelSpec(written(Map.of("tasks", "summary;entities")))
                        .tasks())
                .isEqualTo(EnumSet.of(Task.SUMMARY, Task.ENTITIES));
        assertThat(HeedOptions.modelSpec(written(Map.of("tasks", "[summary, sentiment]")))
                        .tasks())
                .isEqualTo(EnumSet.of(Task.SUMMARY, Task.SENTIMENT));
    }

    @Test
    void badValuesNameTheOptionAndWhatItTakes() {
        assertThatThrownBy(() -> HeedOptions.modelSpec(written(Map.of("tasks", "mood"))))
                .hasMessageStartingWith("Invalid value '[mood]' for tasks: expected a comma-separated list of")
                .hasMessageContaining("sentiment, entities, summary");
        assertThatThrownBy(() -> HeedOptions.modelSpec(written(Map.of("tasks", ""))))
                .hasMessage("Invalid value '[]' for tasks: at least one task must be enabled");
        assertThatThrownBy(() -> HeedOptions.modelSpec(written(Map.of("summary-sentences", "0"))))
                .hasMessageStartingWith("Invalid value '0' for summary-sentences:");
        assertThatThrownBy(() -> HeedOptions.modelSpec(written(Map.of("window-tokens", "4"))))
                .hasMessageStartingWith("Invalid value '4' for window-tokens:")
                .hasMessageContaining("512");
        assertThatThrownBy(() -> HeedOptions.settings(written(Map.of("max-batch-size", "0"))))
                .hasMessageStartingWith("Invalid value '0' for max-batch-size:");
        assertThatThrownBy(() -> HeedOptions.settings(written(Map.of("max-batch-wait", "soon"))))
                .hasMessage("Invalid value 'soon' for max-batch-wait: expected a duration such as '50 ms', '10 s' or"
                        + " '1 min'");
        assertThatThrownBy(() -> HeedOptions.settings(written(Map.of("max-text-bytes", "4 gb"))))
                .hasMessageStartingWith("Invalid value '4 gb' for max-text-bytes: must be at most");
        assertThatThrownBy(() -> HeedOptions.settings(written(Map.of("max-record-bytes", "10"))))
                .hasMessageStartingWith("Invalid value '10' for max-record-bytes:");
        assertThatThrownBy(() -> HeedOptions.settings(written(Map.of("device", "tpu"))))
                .hasMessage("Invalid value 'tpu' for device: expected one of auto, cpu, gpu");
    }

    @Test
    void theModelOptionsTakeTheirDefaultsFromTheModel() {
        ModelSpec defaults = ModelSpec.builder().build();
        assertThat(HeedOptions.WINDOW_TOKENS.defaultValue())
                .isEqualTo(defaults.windowing().windowTokens());
        assertThat(HeedOptions.SUMMARY_SENTENCES.defaultValue()).isEqualTo(defaults.summarySentences());
        assertThat(EnumSet.copyOf(HeedOptions.TASKS.defaultValue())).isEqualTo(defaults.tasks());
    }
}
