/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentenceGeometryTest {

    @Test
    void chunksPackConsecutiveSentencesAndDropLoneOnes() {
        String text = "One is here. Two is there. Three goes on and on and on and on. Four.";
        List<SentenceGeometry.Chunk> chunks = SentenceGeometry.chunks(List.of(text), 27);

        // "One is here. Two is there." (26 chars) fits; "Three ..." alone is too long to pair; "Four." is alone last.
        assertThat(chunks).hasSize(1);
        SentenceGeometry.Chunk chunk = chunks.get(0);
        assertThat(chunk.text()).isEqualTo("One is here. Two is there.");
        assertThat(chunk.text().substring(chunk.starts()[1], chunk.ends()[1])).isEqualTo("Two is there.");
        assertThat(SentenceGeometry.chunks(List.of(text), 1000))
                .singleElement()
                .satisfies(c -> assertThat(c.sentences()).isEqualTo(4));
    }

    @Test
    void poolsTokensInsideEachSentenceAndMasksTheRest() {
        SentenceGeometry.Chunk chunk = new SentenceGeometry.Chunk("Ab cd. Ef.", new int[] {0, 7}, new int[] {6, 10});
        // [CLS] ab cd . ef . [SEP] [PAD]
        int[] starts = {0, 0, 3, 5, 7, 9, 0};
        int[] ends = {0, 2, 5, 6, 9, 10, 0};
        SentenceGeometry.Chunk two =
                new SentenceGeometry.Chunk("Ab. Cd. Ef.", new int[] {0, 4, 8}, new int[] {3, 7, 11});
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weights = SentenceGeometry.poolingWeights(
                    manager,
                    List.of(chunk, two),
                    List.of(starts, new int[] {0, 0, 2, 0}),
                    List.of(ends, new int[] {0, 2, 3, 0}),
                    8);
            assertThat(weights.getShape()).isEqualTo(new Shape(2, 3, 8));
            float[] w = weights.toFloatArray();
            assertThat(java.util.Arrays.copyOfRange(w, 0, 8)).containsExactly(0, 1 / 3f, 1 / 3f, 1 / 3f, 0, 0, 0, 0);
            assertThat(java.util.Arrays.copyOfRange(w, 8, 16)).containsExactly(0, 0, 0, 0, 0.5f, 0.5f, 0, 0);
            // Chunk two: only its first sentence has tokens; the other two (cut off) and chunk one's padding row are 0.
            assertThat(SentenceGeometry.sentenceMask(weights).toFloatArray()).containsExactly(1, 1, 0, 1, 0, 0);
        }
    }

    @Test
    void lossIsTheMeanKlOverUnmaskedRowsAndZeroForTheTeacherItself() {
        SentenceGeometry geometry = new SentenceGeometry(0.1f);
        Random random = new Random(7);
        float[] teacherVectors = new float[2 * 3 * 5];
        float[] studentVectors = new float[2 * 3 * 5];
        for (int i = 0; i < teacherVectors.length; i++) {
            teacherVectors[i] = (float) random.nextGaussian();
            studentVectors[i] = teacherVectors[i] + 0.5f * (float) random.nextGaussian();
        }
        float[] mask = {1, 1, 1, 1, 1, 0};
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Shape shape = new Shape(2, 3, 5);
            NDArray maskArray = manager.create(mask, new Shape(2, 3));
            NDArray teacher = geometry.logAttention(manager.create(teacherVectors, shape), maskArray);
            NDArray student = geometry.logAttention(manager.create(studentVectors, shape), maskArray);

            assertThat(SentenceGeometry.loss(teacher, teacher, maskArray).getFloat())
                    .isCloseTo(0f, within(1e-6f));
            double expected = 0;
            for (int b = 0; b < 2; b++) {
                int n = b == 0 ? 3 : 2;
                for (int r = 0; r < n; r++) {
                    double[] p = softmaxRow(teacherVectors, b, r, n);
                    double[] q = softmaxRow(studentVectors, b, r, n);
                    for (int c = 0; c < n; c++) {
                        expected += p[c] * Math.log(p[c] / q[c]);
                    }
                }
            }
            expected /= 5;
            assertThat(expected).isGreaterThan(1e-4);
            assertThat((double)
                            SentenceGeometry.loss(teacher, student, maskArray).getFloat())
                    .isCloseTo(expected, within(1e-4));
        }
    }

    /** softmax over columns c < n of cos(v[b][r], v[b][c]) / 0.1, computed plainly. */
    private static double[] softmaxRow(float[] v, int b, int r, int n) {
        double[] scores = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            double dot = 0;
            double nr = 0;
            double nc = 0;
            for (int d = 0; d < 5; d++) {
                double x = v[(b * 3 + r) * 5 + d];
                double y = v[(b * 3 + c) * 5 + d];
                dot += x * y;
                nr += x * x;
                nc += y * y;
            }
            scores[c] = dot / Math.sqrt(nr * nc) / 0.1;
            max = Math.max(max, scores[c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        for (int c = 0; c < n; c++) {
            scores[c] /= sum;
        }
        return scores;
    }
}
