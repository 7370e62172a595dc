/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentimentScoresTest {
    private static final List<String> THREE = List.of("negative", "positive", "neutral");

    @Test
    void binarySetComparesPositiveWithNegativeWhateverNeutralSays() {
        // Text 0: neutral is the most probable label, but positive beats negative: correct on a binary set.
        List<float[]> probabilities = List.of(new float[] {0.1f, 0.3f, 0.6f}, new float[] {0.8f, 0.1f, 0.1f});
        SentimentScores scores = SentimentScores.of(THREE, probabilities, new int[] {1, 0});

        assertThat(scores.threeClass()).isFalse();
        assertThat(scores.accuracy()).isEqualTo(1.0);
        assertThat(scores.neutralShare()).isEqualTo(0.5);
        assertThat(scores.classes())
                .extracting(SentimentScores.ClassScores::label)
                .containsExactly("negative", "positive");
        // Confidence of text 0 renormalised over the two polar labels: 0.3 / 0.4 = 0.75; text 1: 0.8 / 0.9.
        double expectedEce = 0.5 * Math.abs(1 - 0.75) + 0.5 * Math.abs(1 - 0.8 / 0.9);
        assertThat(scores.ece()).isCloseTo(expectedEce, within(1e-6));
    }

    @Test
    void threeClassSetUsesTheMostProbableLabelAndMacroRecall() {
        List<float[]> probabilities = List.of(
                new float[] {0.7f, 0.2f, 0.1f}, // gold negative, predicted negative
                new float[] {0.2f, 0.3f, 0.5f}, // gold positive, predicted neutral
                new float[] {0.1f, 0.2f, 0.7f}, // gold neutral, predicted neutral
                new float[] {0.1f, 0.6f, 0.3f}); // gold positive, predicted positive
        SentimentScores scores = SentimentScores.of(THREE, probabilities, new int[] {0, 1, 2, 1});

        assertThat(scores.threeClass()).isTrue();
        assertThat(scores.accuracy()).isEqualTo(0.75);
        assertThat(scores.macroRecall()).isCloseTo((1 + 0.5 + 1) / 3.0, within(1e-9));
        assertThat(scores.headline()).isEqualTo(scores.macroRecall());
        SentimentScores.ClassScores neutral = scores.classes().get(2);
        assertThat(neutral.label()).isEqualTo("neutral");
        assertThat(neutral.precision()).isEqualTo(0.5);
        assertThat(neutral.recall()).isEqualTo(1.0);
        assertThat(scores.reliability().stream()
                        .mapToInt(SentimentScores.Bin::count)
                        .sum())
                .isEqualTo(4);
    }

    @Test
    void binaryHeadOnThreeClassSetNeverPredictsNeutral() {
        List<float[]> probabilities = List.of(new float[] {0.4f, 0.6f}, new float[] {0.9f, 0.1f});
        SentimentScores scores = SentimentScores.of(List.of("negative", "positive"), probabilities, new int[] {2, 0});

        assertThat(scores.accuracy()).isEqualTo(0.5);
        assertThat(scores.neutralShare()).isZero();
        assertThat(scores.classes().get(2).recall()).isZero();
    }
}
