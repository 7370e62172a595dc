/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.HeadFile;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderPatchTest {
    private static final EncoderPatch.LowRank UPDATE =
            new EncoderPatch.LowRank(2, 1, 3, new float[] {1f, -2f}, new float[] {0.5f, 0f, 4f});

    @Test
    void lowRankUpdateAddsScaledProductInInOutLayout() {
        float[] base = {1, 2, 3, 4, 5, 6}; // [in=2, out=3]
        // scale 2 * A B = 2 * [[0.5, 0, 4], [-1, 0, -8]]
        assertThat(UPDATE.addTo(base, 2f)).containsExactly(2f, 2f, 11f, 2f, 5f, -10f);
        assertThatThrownBy(() -> UPDATE.addTo(new float[4], 1f)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsThroughItsFile() throws Exception {
        EncoderPatch patch = new EncoderPatch(
                2f, Map.of("layer.0.query.weight", UPDATE), Map.of("layer.0.query.bias", new float[] {0.1f, 0.2f, 0.3f
                }));
        byte[] bytes = patch.toHeadFile().toBytes();
        EncoderPatch copy = EncoderPatch.fromHeadFile(HeadFile.read(new ByteArrayInputStream(bytes), "patch"));

        assertThat(copy.scale()).isEqualTo(2f);
        assertThat(copy.parameterCount()).isEqualTo(2 + 3 + 3);
        EncoderPatch.LowRank read = copy.lowRank().get("layer.0.query.weight");
        assertThat(read.a()).containsExactly(UPDATE.a());
        assertThat(read.b()).containsExactly(UPDATE.b());
        assertThat(copy.deltas().get("layer.0.query.bias")).containsExactly(0.1f, 0.2f, 0.3f);
    }

    @Test
    void rejectsOtherFormats() {
        HeadFile head = new HeadFile("heed-sentiment-attention-v1", java.util.List.of(), Map.of());
        assertThatThrownBy(() -> EncoderPatch.fromHeadFile(head)).hasMessageContaining("not an encoder patch");
    }
}
