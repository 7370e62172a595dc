/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.heed.models.FeatureMoments;
import io.heed.models.HeadFile;
import io.heed.models.encoder.TokenStates;
import java.util.List;

/**
 * The sentiment task for encoder fine-tuning: the project's {@link SentimentHeadBlock} on top of the trainable
 * encoder's states, its cross-entropy loss, and dev accuracy measured with the plain-Java {@link SentimentHead}, as
 * inference computes it.
 */
public final class SentimentTuning {
    private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();
    /** Negative, positive and neutral, as the bundled head ({@link SentimentHeadTrainer}). */
    private static final List<String> LABELS = LabeledTexts.LABELS;

    private final SentimentHeadBlock block;

    public SentimentTuning(NDManager manager, int hidden, int projection) {
        block = new SentimentHeadBlock(hidden, projection, LABELS.size());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 8, hidden), new Shape(1, 8));
    }

    /**
     * Freezes the head's z-score statistics at those of the given (untuned encoder) states, std floored at
     * {@code minStd} (see {@link FeatureMoments#meanAndStd(double)}).
     */
    public void normalize(List<TokenStates> sample, double minStd) {
        FeatureMoments moments = new FeatureMoments(sample.get(0).hiddenSize());
        for (TokenStates text : sample) {
            for (int t = 0; t < text.length(); t++) {
                moments.add(text.states(), t * text.hiddenSize());
            }
        }
        float[][] stats = moments.meanAndStd(minStd);
        block.setNormalization(stats[0], stats[1]);
    }

    /**
     * Mean cross-entropy of the labels ({@link LabeledTexts} indices) given states {@code [b, t, h]} and mask
     * {@code [b, t]}. A binary example ({@code threeClass[i]} false) is scored given that it is not neutral: its
     * neutral logit is masked, as in {@link SentimentHeadTrainer}.
     */
    public NDArray loss(ParameterStore store, NDArray states, NDArray mask, int[] labels, boolean[] threeClass) {
        NDArray logits = block.forward(store, new NDList(states, mask), true).get(0);
        float[] values = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i];
        }
        NDManager manager = states.getManager();
        logits = logits.add(SentimentHeadTrainer.neutralMask(manager, threeClass));
        return LOSS.evaluate(new NDList(manager.create(values)), new NDList(logits));
    }

    /** The head's dev scores as inference computes them (plain-Java {@link SentimentHead}). */
    public SentimentScores scores(List<TokenStates> states, List<LabeledTexts.Example> examples) {
        return SentimentEvaluation.score(SentimentHead.of(headFile()), states, examples);
    }

    /** The trainable parameters (the z-score statistics are frozen). */
    public List<Parameter> parameters() {
        return block.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    public HeadFile headFile() {
        return block.toHeadFile(LABELS);
    }

    public void load(HeadFile file) {
        block.load(file);
    }
}
