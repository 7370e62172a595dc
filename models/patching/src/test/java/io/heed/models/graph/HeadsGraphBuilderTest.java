/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heed.models.HeadFile;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadsGraphBuilderTest {

    @Test
    void foldedZScoreGivesTheSameProductAsZScoringFirst() {
        Random random = new Random(7);
        int hidden = 5;
        int width = 3;
        float[] mean = values(random, hidden);
        float[] std = new float[hidden];
        for (int d = 0; d < hidden; d++) {
            std[d] = 0.5f + random.nextFloat();
        }
        float[] w = values(random, hidden * width);
        HeadFile head = new HeadFile(
                "test",
                List.of(),
                Map.of(
                        "mean",
                        new HeadFile.Tensor(new int[] {hidden}, mean),
                        "std",
                        new HeadFile.Tensor(new int[] {hidden}, std)));
        float[][] folded = HeadsGraphBuilder.foldZScore(head, w, hidden, width);
        float[] h = values(random, hidden);
        for (int c = 0; c < width; c++) {
            double expected = 0;
            double actual = folded[1][c];
            for (int d = 0; d < hidden; d++) {
                expected += (h[d] - mean[d]) / std[d] * w[d * width + c];
                actual += h[d] * folded[0][d * width + c];
            }
            assertThat(actual).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void rowsPutEachRowBlockOfW1SideBySide() {
        // Two blocks of three rows, two columns: w1 rows are 0..5, block b's rows 1..2 go to columns [2b, 2b + 2).
        float[] w1 = new float[6 * 2];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = i;
        }
        float[] out = HeadsGraphBuilder.rows(w1, 3, 2, 2, 1, 2);
        assertThat(out).containsExactly(2, 3, 8, 9, 4, 5, 10, 11);
    }

    private static float[] values(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
