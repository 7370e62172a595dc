/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Lead3Test {

    @Test
    void takesTheFirstThreeSentencesOfTheSplitter() {
        String text = "First point here. Second point here. Third point here. Fourth point here.";
        Summary lead = Lead3.summarize(text);
        assertThat(lead.sentenceIndices()).containsExactly(0, 1, 2);
        assertThat(lead.text()).isEqualTo("First point here. Second point here. Third point here.");
        assertThat(Lead3.summarize("").sentenceIndices()).isEmpty();
    }
}
