/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnpairedSurrogatesTest {
    @Test
    void replacesEachUnpairedSurrogateWithOneReplacementCharacter() {
        assertThat(UnpairedSurrogates.replace("a\ud800b\udc00c\ud800")).isEqualTo("a\ufffdb\ufffdc\ufffd");
        assertThat(UnpairedSurrogates.replace("\udc00\ud800")).isEqualTo("\ufffd\ufffd");
    }

    @Test
    void keepsSurrogatePairsAndReturnsTheSameStringWhenNothingIsUnpaired() {
        String emoji = "ok \ud83d\ude00 \ud83d\udc4d\ud83c\udffd";

        assertThat(UnpairedSurrogates.replace(emoji)).isSameAs(emoji);
        assertThat(UnpairedSurrogates.replace("\ud800\ud83d\ude00")).isEqualTo("\ufffd\ud83d\ude00");
    }
}
