/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.heed.models.HeadFile;
import io.heed.models.encoder.TokenStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DJL training block (PyTorch) and the plain-Java inference head compute the same function. */
class SentimentHeadParityTest {
    private static final int HIDDEN = 384;
    private static final int PROJECTION = 32;

    @Test
    void trainingBlockAndInferenceHeadAgreeForTheSameWeights() {
        Random random = new Random(7);
        List<TokenStates> texts = List.of(randomStates(random, 3), randomStates(random, 11), randomStates(random, 6));
        try (Model model = Model.newInstance("parity", "PyTorch")) {
            SentimentHeadBlock block = new SentimentHeadBlock(HIDDEN, PROJECTION, 2);
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(1, 4, HIDDEN), new Shape(1, 4));
                block.setNormalization(randomVector(random, 0.5f, 0f), randomVector(random, 0.5f, 1f));
                SentimentHead head = SentimentHead.of(block.toHeadFile(List.of("negative", "positive")));

                NDList outputs =
                        trainer.evaluate(FeatureEncoding.toBatch(trainer.getManager(), texts, new int[] {0, 1, 2}));
                float[] blockProbabilities = outputs.get(0).softmax(1).toFloatArray();

                for (int i = 0; i < texts.size(); i++) {
                    float[] headProbabilities = head.probabilities(texts.get(i));
                    assertThat(headProbabilities[0]).isCloseTo(blockProbabilities[2 * i], within(1e-5f));
                    assertThat(headProbabilities[1]).isCloseTo(blockProbabilities[2 * i + 1], within(1e-5f));
                }
                // The padded batch gives padding zero attention: each row's real tokens carry all the weight.
                float[] attention = outputs.get(1).toFloatArray();
                float firstRowRealTokens = 0;
                for (int t = 0; t < 3; t++) {
                    firstRowRealTokens += attention[t];
                }
                assertThat(firstRowRealTokens).isCloseTo(1f, within(1e-5f));
            }
        }
    }

    @Test
    void headFileRoundTripsIntoABlock() {
        Random random = new Random(11);
        HeadFile original;
        try (Model model = Model.newInstance("original", "PyTorch");
                Trainer trainer = initialized(model)) {
            SentimentHeadBlock block = (SentimentHeadBlock) model.getBlock();
            block.setNormalization(randomVector(random, 0.1f, 0f), randomVector(random, 0.1f, 1f));
            original = block.toHeadFile(List.of("negative", "positive"));
        }
        try (Model model = Model.newInstance("copy", "PyTorch");
                Trainer trainer = initialized(model)) {
            SentimentHeadBlock block = (SentimentHeadBlock) model.getBlock();
            block.load(original);
            HeadFile copy = block.toHeadFile(List.of("negative", "positive"));

            assertThat(copy.tensors().keySet())
                    .containsExactlyElementsOf(original.tensors().keySet());
            for (String name : original.tensors().keySet()) {
                assertThat(copy.tensors().get(name).values())
                        .containsExactly(original.tensors().get(name).values());
                assertThat(copy.tensors().get(name).shape())
                        .containsExactly(original.tensors().get(name).shape());
            }
        }
    }

    private static Trainer initialized(Model model) {
        model.setBlock(new SentimentHeadBlock(HIDDEN, PROJECTION, 2));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()));
        trainer.initialize(new Shape(1, 4, HIDDEN), new Shape(1, 4));
        return trainer;
    }

    static TokenStates randomStates(Random random, int length) {
        float[] states = new float[length * HIDDEN];
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        String[] tokens = new String[length];
        List<Integer> offsets = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            tokens[t] = "t" + t;
            offsets.add(t * 3);
        }
        int[] starts = offsets.stream().mapToInt(Integer::intValue).toArray();
        int[] ends = offsets.stream().mapToInt(o -> o + 2).toArray();
        return new TokenStates(states, HIDDEN, tokens, starts, ends, false);
    }

    private static float[] randomVector(Random random, float scale, float offset) {
        float[] values = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            values[i] = offset + scale * (float) Math.abs(random.nextGaussian());
        }
        return values;
    }
}
