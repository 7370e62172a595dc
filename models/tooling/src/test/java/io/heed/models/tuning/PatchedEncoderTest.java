/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.encoder.Windowing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model the build derives (base ONNX + patch, edited in Java) computes under ONNX Runtime what the training-time
 * DJL model with the same adapters computes. Uses seeded random adapters large enough to move the outputs far more
 * than the tolerance, so a patch applied wrongly (transposed, unscaled, to the wrong role) cannot pass.
 */
class PatchedEncoderTest {
    /**
     * Max |difference| per hidden value. The derived model folds {@code scale * A * B} into W (rounded once to float)
     * while training computes {@code x W + scale (x A) B}; both round differently at ~1e-6 relative.
     */
    private static final float TOLERANCE = 1e-4f;

    @Test
    void derivedOnnxModelMatchesTheTrainingTimeModel(@TempDir Path dir) throws Exception {
        EncoderGraph base = EncoderGraph.read(EncoderVariant.FP32.onnxFile());
        Path tokenizerFile = EncoderVariant.FP32.tokenizerFile();
        List<String> texts = BertBlockParityTest.TEXTS;
        try (EncoderFixture djl = new EncoderFixture(base, 8, 16f, 3);
                HuggingFaceTokenizer tokenizer = TransformerEncoder.tokenizer(tokenizerFile)) {
            float[][] before = djl.encode(tokenizer, texts);
            EncoderPatch patch = randomized(djl.block.toPatch(), new Random(5));
            djl.block.load(patch);
            float[][] trained = djl.encode(tokenizer, texts);

            Path patchFile = dir.resolve("encoder-patch.bin");
            patch.write(patchFile);
            Path onnx = PatchedEncoder.write(base, EncoderPatch.read(patchFile), dir.resolve("tuned.onnx"));
            List<TokenStates> derived;
            try (TransformerEncoder ort = TransformerEncoder.load(onnx, tokenizerFile, "tuned", Windowing.of(128), 1)) {
                derived = ort.encode(texts);
            }
            float worst = 0;
            float moved = 0;
            for (int i = 0; i < texts.size(); i++) {
                worst = Math.max(worst, EncoderFixture.maxAbsDiff(derived.get(i).states(), trained[i]));
                moved = Math.max(moved, EncoderFixture.maxAbsDiff(before[i], trained[i]));
            }
            System.out.printf(
                    "derived ONNX vs DJL with the same patch: max |diff| %.3g (the patch moved outputs by "
                            + "up to %.3g); patch %d values, %d bytes%n",
                    worst, moved, patch.parameterCount(), Files.size(patchFile));
            assertThat(moved).as("the random patch must change the outputs").isGreaterThan(0.1f);
            assertThat(worst).isLessThan(TOLERANCE);
        }
    }

    /** The patch's A kept, B and the deltas filled with seeded noise. */
    private static EncoderPatch randomized(EncoderPatch patch, Random random) {
        Map<String, EncoderPatch.LowRank> lowRank = new LinkedHashMap<>();
        patch.lowRank()
                .forEach((role, u) -> lowRank.put(
                        role,
                        new EncoderPatch.LowRank(
                                u.in(), u.rank(), u.out(), u.a(), RandomPatch.noise(u.b().length, 0.02f, random))));
        Map<String, float[]> deltas = new LinkedHashMap<>();
        patch.deltas().forEach((role, d) -> deltas.put(role, RandomPatch.noise(d.length, 0.02f, random)));
        return new EncoderPatch(patch.scale(), lowRank, deltas);
    }
}
