/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureMomentsTest {

    @Test
    void meanAndStdPerDimensionOverVectorsAtOffsets() {
        FeatureMoments moments = new FeatureMoments(2);
        float[] rows = {1, 10, 3, 10, 5, 10}; // dimension 0: 1, 3, 5; dimension 1 constant
        for (int row = 0; row < 3; row++) {
            moments.add(rows, row * 2);
        }

        float[][] stats = moments.meanAndStd();

        assertThat(stats[0]).containsExactly(3f, 10f);
        assertThat(stats[1][0]).isCloseTo((float) Math.sqrt(8.0 / 3), within(1e-6f));
        assertThat(stats[1][1])
                .as("a constant dimension gets the floor, not zero")
                .isEqualTo((float) Math.sqrt(1e-12));
    }
}
