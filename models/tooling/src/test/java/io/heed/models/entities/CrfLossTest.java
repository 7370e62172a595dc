/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The batched forward algorithm (DJL, PyTorch) equals the CRF likelihood computed by enumerating every path. */
class CrfLossTest {
    private static final List<String> LABELS = BioTags.CONLL_LABELS;
    private static final int L = LABELS.size();

    @Test
    void negativeLogLikelihoodMatchesBruteForceOverAllAllowedPaths() {
        Random random = new Random(3);
        // Sentences of 1, 3 and 2 words, padded to width 3 in one batch.
        List<int[]> gold = List.of(new int[] {1}, new int[] {3, 4, 0}, new int[] {0, 7});
        List<WordInputs> inputs = new ArrayList<>();
        for (int[] tags : gold) {
            int n = tags.length;
            inputs.add(new WordInputs(
                    n,
                    4,
                    new float[n * 4],
                    new boolean[n],
                    new float[n * WordFeatures.FLAG_COUNT],
                    new int[n * WordFeatures.ID_COUNT]));
        }
        float[] emissions = randoms(random, gold.size() * 3 * L);
        float[] transitions = randoms(random, L * L);
        float[] start = randoms(random, L);
        float[] end = randoms(random, L);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CrfLoss.Batch batch = CrfLoss.batch(manager, inputs, gold, new int[] {0, 1, 2}, L);
            NDList outputs = new NDList(
                    manager.create(emissions, new Shape(gold.size() * 3L, L)),
                    manager.create(transitions, new Shape(L, L)),
                    manager.create(start),
                    manager.create(end));

            float loss = CrfLoss.negativeLogLikelihood(outputs, batch, LABELS).getFloat();

            double expected = 0;
            for (int s = 0; s < gold.size(); s++) {
                expected += bruteForceNll(gold.get(s), emissions, s * 3, transitions, start, end);
            }
            assertThat((double) loss).isCloseTo(expected / gold.size(), within(1e-3));
        }
    }

    private static double bruteForceNll(
            int[] gold, float[] emissions, int firstRow, float[] transitions, float[] start, float[] end) {
        int n = gold.length;
        int paths = (int) Math.pow(L, n);
        double logZ = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < paths; p++) {
            int[] tags = new int[n];
            for (int i = 0, rest = p; i < n; i++, rest /= L) {
                tags[i] = rest % L;
            }
            if (!allowedPath(tags)) {
                continue;
            }
            double score = pathScore(tags, emissions, firstRow, transitions, start, end);
            logZ = Math.max(logZ, score) + Math.log1p(Math.exp(-Math.abs(logZ - score)));
        }
        return logZ - pathScore(gold, emissions, firstRow, transitions, start, end);
    }

    private static boolean allowedPath(int[] tags) {
        for (int i = 0; i < tags.length; i++) {
            if (!BioTags.allowed(i == 0 ? null : LABELS.get(tags[i - 1]), LABELS.get(tags[i]))) {
                return false;
            }
        }
        return true;
    }

    private static double pathScore(
            int[] tags, float[] emissions, int firstRow, float[] transitions, float[] start, float[] end) {
        double score = start[tags[0]] + end[tags[tags.length - 1]];
        for (int i = 0; i < tags.length; i++) {
            score += emissions[(firstRow + i) * L + tags[i]];
            if (i > 0) {
                score += transitions[tags[i - 1] * L + tags[i]];
            }
        }
        return score;
    }

    private static float[] randoms(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
