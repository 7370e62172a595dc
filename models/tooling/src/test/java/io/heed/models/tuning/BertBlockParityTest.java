/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.heed.models.InferenceDevice;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DJL training encoder (PyTorch) loaded from the fp32 ONNX initializers computes what ONNX Runtime computes on
 * the ONNX file: same last hidden states, within float rounding. Texts of different lengths run as one padded batch on
 * the DJL side, so the mask is exercised too.
 */
class BertBlockParityTest {
    /** Max |difference| allowed per value; hidden states are O(1), float32 reordering errors are ~1e-6. */
    static final float TOLERANCE = 1e-4f;

    static final List<String> TEXTS = List.of(
            "The film is a charming, funny and moving story.",
            "Angela Merkel met Emmanuel Macron in Berlin on Tuesday.",
            "bad.",
            "It never quite decides what it wants to be, and the second half drags badly; still, the cast is good.");

    @Test
    void reproducesOnnxRuntimeFp32LastHiddenState() throws Exception {
        EncoderGraph graph = EncoderGraph.read(EncoderVariant.FP32.onnxFile());
        List<TokenStates> expected;
        // The artifact's own weights, as the DJL block starts from them (LoRA at zero).
        try (TransformerEncoder ort = TransformerEncoder.load(
                EncoderVariant.FP32, EncoderWeights.FROZEN, Windowing.of(128), 1, InferenceDevice.cpu())) {
            expected = ort.encode(TEXTS);
        }
        try (EncoderFixture djl = new EncoderFixture(graph, 8, 16f, 1);
                HuggingFaceTokenizer tokenizer = TransformerEncoder.tokenizer(EncoderVariant.FP32.tokenizerFile())) {
            float[][] actual = djl.encode(tokenizer, TEXTS);
            float worst = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                worst = Math.max(
                        worst, EncoderFixture.maxAbsDiff(expected.get(i).states(), actual[i]));
            }
            System.out.printf("BertBlock vs ONNX Runtime fp32: max |diff| %.3g over %d texts%n", worst, TEXTS.size());
            assertThat(worst).isLessThan(TOLERANCE);
        }
    }
}
