/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Token char spans are UTF-16 offsets into the original String, also after emoji (surrogate pairs). */
class TokenOffsetsTest {

    @Test
    void spansPointAtTheTokensTextAfterSurrogatePairs() {
        String text = "👋🏽🇫🇷 Zürich, Berlin 🎉 and Paris";
        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, 64, 1)) {
            TokenStates states = encoder.encode(List.of(text)).get(0);

            for (String word : List.of("berlin", "paris")) {
                int t = List.of(states.tokens()).indexOf(word);
                assertThat(t).as(word).isPositive();
                assertThat(text.substring(states.charStarts()[t], states.charEnds()[t]))
                        .isEqualToIgnoringCase(word);
            }
            int zurich = List.of(states.tokens()).indexOf("zurich");
            assertThat(text.substring(states.charStarts()[zurich], states.charEnds()[zurich]))
                    .isEqualTo("Zürich");
        }
    }

    @Test
    void codePointOffsetsMapToUtf16() {
        assertThat(CharOffsets.utf16Offsets("plain")).isNull();
        int[] offsets = CharOffsets.utf16Offsets("a😀b");
        assertThat(offsets).containsExactly(0, 1, 3, 4);
        assertThat(CharOffsets.utf16(null, 7)).isEqualTo(7);
        assertThat(CharOffsets.utf16(offsets, 2)).isEqualTo(3);
    }
}
