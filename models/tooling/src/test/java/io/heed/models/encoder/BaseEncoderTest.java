/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.tuning.EncoderGraph;
import org.junit.jupiter.api.Test;

class BaseEncoderTest {
    @Test
    void parsesOptionNamesAndKeepsTheShippedRunsDirectory() {
        assertThat(BaseEncoder.parse(" BGE-small ")).isEqualTo(BaseEncoder.BGE_SMALL);
        assertThat(BaseEncoder.parse("minilm-l6")).isEqualTo(BaseEncoder.MINILM_L6);
        // The documented commands for the shipped encoder read models/tooling/target/encoder-finetune.
        assertThat(BaseEncoder.MINILM_L6.workDirName()).isEqualTo("encoder-finetune");
        assertThat(BaseEncoder.BGE_SMALL.workDirName()).isEqualTo("encoder-finetune-bge-small");
        assertThatThrownBy(() -> BaseEncoder.parse("bert-large"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minilm-l6 or bge-small");
    }

    @Test
    void minilmIsTheBundledEncodersFp32Graph() {
        assertThat(BaseEncoder.MINILM_L6.onnxFile()).isEqualTo(EncoderVariant.FP32.onnxFile());
        assertThat(BaseEncoder.MINILM_L6.int8File()).isEqualTo(EncoderVariant.INT8.onnxFile());
        assertThat(BaseEncoder.MINILM_L6.tokenizerFile()).isEqualTo(EncoderVariant.FP32.tokenizerFile());
    }

    @Test
    void bgeSmallIsATwelveLayerBertOfTheSameWidthThatTheFineTuningCanRead() throws Exception {
        EncoderGraph graph = EncoderGraph.read(BaseEncoder.BGE_SMALL.onnxFile());
        assertThat(graph.layers()).isEqualTo(12);
        assertThat(graph.hidden()).isEqualTo(384);
        assertThat(BaseEncoder.BGE_SMALL.int8File()).isRegularFile();
        try (var tokenizer = TransformerEncoder.tokenizer(BaseEncoder.BGE_SMALL.tokenizerFile())) {
            // Same uncased WordPiece vocabulary as MiniLM: the sentiment and entity heads' inputs mean the same.
            assertThat(tokenizer.encode("The movie was great").getTokens())
                    .containsExactly("[CLS]", "the", "movie", "was", "great", "[SEP]");
        }
    }
}
