/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heed.models.HeadFile;
import io.heed.models.ToolArguments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentimentHeadTrainerTest {
    private static Map<String, String> options(String... args) {
        return ToolArguments.parse(args, SentimentHeadTrainer.defaults());
    }

    @Test
    void weightsAreRequiredAndPickTheHeadFile() {
        assertThatThrownBy(() -> new SentimentHeadTrainer(options())).hasMessageContaining("--weights is required");
        assertThat(new SentimentHeadTrainer(options("--weights", "tuned", "--out", "x")).headFile())
                .hasToString("x/sentiment-head-tuned.bin");
        assertThat(new SentimentHeadTrainer(options("--weights", "tuned", "--out", "x")).cardFile())
                .hasToString("x/sentiment-head-tuned.json");
        assertThat(new SentimentHeadTrainer(options("--weights", "frozen", "--out", "x")).headFile())
                .hasToString("x/sentiment-head.bin");
        assertThatThrownBy(() -> new SentimentHeadTrainer(options("--weights", "bogus")))
                .hasMessageContaining("tuned, frozen or bge-small");
    }

    @Test
    void perCorpusOptionsParse() {
        assertThat(SentimentCorpus.perCorpus("sst2=25000, yelp=15000"))
                .containsEntry(SentimentCorpus.SST2, 25000)
                .containsEntry(SentimentCorpus.YELP, 15000)
                .hasSize(2);
        assertThatThrownBy(() -> SentimentCorpus.perCorpus("imdb=3")).hasMessageContaining("imdb");
    }

    @Test
    void binaryLikelihoodIgnoresNeutralAndTemperatureSoftens() {
        float[] logP = {(float) Math.log(0.2), (float) Math.log(0.2), (float) Math.log(0.6)};
        // Given not neutral, negative and positive are equally likely: -log(0.5).
        assertThat(SentimentHeadTrainer.negativeLogLikelihood(logP, LabeledTexts.POSITIVE, 1, false))
                .isCloseTo(Math.log(2), within(1e-6));
        assertThat(SentimentHeadTrainer.negativeLogLikelihood(logP, LabeledTexts.NEUTRAL, 1, true))
                .isCloseTo(-Math.log(0.6), within(1e-6));
        assertThat(SentimentHeadTrainer.negativeLogLikelihood(logP, LabeledTexts.NEUTRAL, 2, true))
                .isGreaterThan(-Math.log(0.6));
    }

    @Test
    void temperatureIsFoldedIntoTheClassifier() {
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w1", new HeadFile.Tensor(new int[] {1}, new float[] {3f}));
        tensors.put("w2", new HeadFile.Tensor(new int[] {2}, new float[] {2f, -4f}));
        tensors.put("b2", new HeadFile.Tensor(new int[] {2}, new float[] {1f, 0f}));
        HeadFile scaled = SentimentHeadTrainer.withTemperature(new HeadFile("f", List.of("a", "b"), tensors), 2.0);

        assertThat(scaled.tensors().get("w2").values()).containsExactly(1f, -2f);
        assertThat(scaled.tensors().get("b2").values()).containsExactly(0.5f, 0f);
        assertThat(scaled.tensors().get("w1").values()).containsExactly(3f);
    }
}
