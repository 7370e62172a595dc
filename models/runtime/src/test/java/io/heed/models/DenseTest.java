/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseTest {

    @Test
    void multiplyAddEqualsTheTextbookProductForShapesAroundTheBlockAndUnrollSizes() {
        Random random = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {30, 524, 256}, {2, 33, 9}, {5, 64, 3}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int inWidth = shape[1];
            int outWidth = shape[2];
            float[] in = new float[rows * inWidth];
            float[] w = new float[inWidth * outWidth];
            float[] out = new float[rows * outWidth];
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextGaussian(); // zeros take the skip path
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = i % 3; // accumulates onto what is there
            }
            float[] expected = out.clone();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outWidth; o++) {
                    double sum = expected[r * outWidth + o];
                    for (int k = 0; k < inWidth; k++) {
                        sum += (double) in[r * inWidth + k] * w[k * outWidth + o];
                    }
                    expected[r * outWidth + o] = (float) sum;
                }
            }

            Dense.multiplyAdd(in, rows, inWidth, w, outWidth, out);

            for (int i = 0; i < out.length; i++) {
                assertThat(out[i])
                        .as("shape %dx%dx%d, value %d", rows, inWidth, outWidth, i)
                        .isCloseTo(expected[i], within(1e-3f * (1 + Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void multiplyAddRejectsMismatchedShapes() {
        assertThatThrownBy(() -> Dense.multiplyAdd(new float[6], 2, 3, new float[5], 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shape mismatch");
    }

    @Test
    void tanhMatchesTheJdkAcrossItsRange() {
        for (float x = -20f; x <= 20f; x += 0.01f) {
            assertThat(Dense.tanh(x)).as("tanh(%f)", x).isCloseTo((float) Math.tanh(x), within(1e-6f));
        }
    }
}
