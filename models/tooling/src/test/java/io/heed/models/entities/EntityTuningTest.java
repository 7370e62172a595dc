/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.heed.models.encoder.CharOffsets;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fine-tuning loss, which gathers each word's first-wordpiece state from the encoder's output tensor, equals the
 * head trainer's loss over the same states cached per word: the gather picks the right rows, window slots and edges.
 */
class EntityTuningTest {
    private static final int HIDDEN = 16;

    @Test
    void lossFromTheEncoderTensorEqualsTheCachedFeaturePath() throws Exception {
        List<ConllReader.Sentence> sentences = List.of(
                new ConllReader.Sentence(
                        List.of("EU", "rejects", "German", "call"), List.of("B-ORG", "O", "B-MISC", "O")),
                new ConllReader.Sentence(List.of("Peter", "Blackburn"), List.of("B-PER", "I-PER")),
                new ConllReader.Sentence(
                        List.of("BRUSSELS", "1996-08-22", "unbelievably"), List.of("B-LOC", "O", "O")));
        EntityTuning.Split split = new EntityTuning.Split(sentences);
        Random random = new Random(9);
        List<TokenStates> states = new ArrayList<>();
        List<TokenStates> layouts = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = TransformerEncoder.tokenizer(EncoderVariant.FP32.tokenizerFile())) {
            for (String text : split.texts()) {
                Encoding encoding = tokenizer.encode(text);
                states.add(tokenStates(encoding, text, random));
                layouts.add(tokenStates(encoding, text, null));
            }
        }
        int width = states.stream().mapToInt(TokenStates::length).max().orElseThrow();
        float[] padded = new float[states.size() * width * HIDDEN];
        for (int s = 0; s < states.size(); s++) {
            System.arraycopy(
                    states.get(s).states(),
                    0,
                    padded,
                    s * width * HIDDEN,
                    states.get(s).states().length);
        }
        try (Model model = Model.newInstance("entity-tuning", "PyTorch")) {
            NDManager manager = model.getNDManager();
            EntityTuning tuning = new EntityTuning(manager, HIDDEN, 64, 4, 8, 0f);
            tuning.normalize(split, List.of(0, 1, 2), states, 0.05);
            int[] batch = {0, 1, 2};
            NDArray tensor = manager.create(padded, new Shape(states.size(), width, HIDDEN));
            float fromTensor = tuning.loss(new ParameterStore(manager, false), split, batch, tensor, layouts)
                    .getFloat();

            List<WordInputs> cached = new ArrayList<>();
            for (int s = 0; s < states.size(); s++) {
                cached.add(WordInputs.of(split.words.get(s), states.get(s), 64));
            }
            CrfLoss.Batch crf = CrfLoss.batch(manager, cached, split.tags, batch, BioTags.CONLL_LABELS.size());
            float fromCache = CrfLoss.negativeLogLikelihood(
                            tuning.block().forward(new ParameterStore(manager, false), crf.inputs(), true),
                            crf,
                            BioTags.CONLL_LABELS)
                    .getFloat();

            assertThat(fromTensor).isGreaterThan(0f).isCloseTo(fromCache, within(1e-4f * Math.abs(fromCache)));
        }
    }

    /** Token states of an encoding: random values, or zeros (a layout) when {@code random} is null. */
    private static TokenStates tokenStates(Encoding encoding, String text, Random random) {
        int length = encoding.getIds().length;
        float[] values = new float[length * HIDDEN];
        if (random != null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
        }
        int[][] spans = CharOffsets.tokenSpans(encoding, text); // special tokens have no span: 0, 0
        return new TokenStates(values, HIDDEN, encoding.getTokens(), spans[0], spans[1], false);
    }
}
