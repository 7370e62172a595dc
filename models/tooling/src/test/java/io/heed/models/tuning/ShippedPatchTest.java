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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuned encoder the build derived into the jar (Maven artifact + committed patch) computes under ONNX Runtime what
 * the training-time model (the DJL BERT with the same patch) computes: the shipped model is the trained one.
 */
class ShippedPatchTest {
    /** Max |difference| per hidden value; folding {@code scale * A * B} into W rounds differently at ~1e-6. */
    private static final float TOLERANCE = 1e-4f;

    private static final Path PATCH = Path.of("..", "weights", "src", "main", "patch", "encoder-patch.bin");

    @Test
    void theDerivedTunedEncoderEqualsTheTrainingTimeModel() throws Exception {
        EncoderPatch patch = EncoderPatch.read(PATCH);
        EncoderGraph base = EncoderGraph.read(EncoderVariant.FP32.onnxFile());
        List<String> texts = BertBlockParityTest.TEXTS;
        float[][] trained;
        int rank = patch.lowRank().values().iterator().next().rank();
        // LoRA: the update is (alpha / rank) * A * B, and the patch stores that scale.
        try (EncoderFixture djl = new EncoderFixture(base, rank, patch.scale() * rank, 1);
                HuggingFaceTokenizer tokenizer = TransformerEncoder.tokenizer(EncoderVariant.FP32.tokenizerFile())) {
            djl.block.load(patch);
            trained = djl.encode(tokenizer, texts);
        }
        List<TokenStates> shipped;
        List<TokenStates> frozen;
        try (TransformerEncoder tuned = TransformerEncoder.load(
                        EncoderVariant.FP32, EncoderWeights.TUNED, Windowing.of(128), 1, InferenceDevice.cpu());
                TransformerEncoder original = TransformerEncoder.load(
                        EncoderVariant.FP32, EncoderWeights.FROZEN, Windowing.of(128), 1, InferenceDevice.cpu())) {
            assertThat(tuned.modelId()).isEqualTo("heed/all-MiniLM-L6-v2-fp32-tuned");
            assertThat(tuned.weightsSha256()).isNotEqualTo(original.weightsSha256());
            shipped = tuned.encode(texts);
            frozen = original.encode(texts);
        }
        float worst = 0;
        float moved = 0;
        for (int i = 0; i < texts.size(); i++) {
            worst = Math.max(worst, EncoderFixture.maxAbsDiff(shipped.get(i).states(), trained[i]));
            moved = Math.max(moved, EncoderFixture.maxAbsDiff(frozen.get(i).states(), trained[i]));
        }
        System.out.printf(
                "shipped tuned encoder vs training-time model: max |diff| %.3g (tuning moved outputs by up"
                        + " to %.3g)%n",
                worst, moved);
        assertThat(moved).as("the patch must change the outputs").isGreaterThan(0.1f);
        assertThat(worst).isLessThan(TOLERANCE);
    }
}
