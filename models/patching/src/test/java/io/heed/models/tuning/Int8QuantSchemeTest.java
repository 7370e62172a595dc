/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two symmetric schemes of the bundled int8 encoder, on values small enough to check by hand. */
class Int8QuantSchemeTest {
    @Test
    void matMulWeightsUseOneScalePerColumnOverTheReducedRange() {
        // [3 rows, 2 columns]; column 0 has max|w| 1 (scale 1/64), column 1 max|w| 0.5 (scale 1/128).
        float[] w = {1f, 0.5f, -0.5f, -0.25f, 0.0078125f, 0.001f};
        QuantScheme.Output out = QuantScheme.MATMUL_WEIGHT.quantize(w, 2, 2);
        assertThat(out.scales()).containsExactly(1f / 64, 1f / 128);
        // 0.0078125 * 64 = 0.5 rounds to even (0); 0.001 * 128 = 0.128 rounds to 0.
        assertThat(out.values()).containsExactly(64, 64, -32, -32, 0, 0);
        assertThat(QuantScheme.MATMUL_WEIGHT.fits(out.values(), 2, 2)).isTrue();
    }

    @Test
    void gatherTablesUseOneScaleOverUint8AroundZeroPoint128() {
        float[] w = {-1f, 1f, 0f, 0.5f};
        QuantScheme.Output out = QuantScheme.GATHER_TABLE.quantize(w, 2, 1);
        assertThat(out.scales()).containsExactly(2f / 255);
        // In float32, 2/255 rounds up, so ±max|w| / scale falls just inside ±127.5 and rounds to ±127: 1 and 255.
        // The division is float32 on purpose; the bundled tables were made that way.
        assertThat(out.values()).containsExactly((byte) 1, (byte) 255, (byte) 128, (byte) 192);
        assertThat(QuantScheme.GATHER_TABLE.fits(out.values(), 2, 1)).isTrue();
    }

    @Test
    void valuesFromAnotherRangeDoNotFit() {
        assertThat(QuantScheme.MATMUL_WEIGHT.fits(new byte[] {127, -3}, 1, 1))
                .as("full int8 range")
                .isFalse();
        assertThat(QuantScheme.MATMUL_WEIGHT.fits(new byte[] {32, -3}, 1, 1))
                .as("narrower range")
                .isFalse();
        assertThat(QuantScheme.MATMUL_WEIGHT.fits(new byte[] {0, 0}, 1, 1))
                .as("all-zero group")
                .isTrue();
    }

    @Test
    void anAllZeroGroupGetsScaleOne() {
        QuantScheme.Output out = QuantScheme.MATMUL_WEIGHT.quantize(new float[] {0f, 0f}, 1, 1);
        assertThat(out.scales()).containsExactly(1f);
        assertThat(out.values()).containsExactly(0, 0);
    }
}
