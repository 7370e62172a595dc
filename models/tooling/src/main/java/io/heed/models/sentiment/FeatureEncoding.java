/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.heed.models.FeatureMoments;
import io.heed.models.encoder.TokenStates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Statistics and padded training batches over encoder states, for training the sentiment head. */
final class FeatureEncoding {
    private FeatureEncoding() {}

    /** Per-dimension mean and standard deviation over every token of every text. */
    static float[][] meanAndStd(List<TokenStates> states) {
        int hidden = states.get(0).hiddenSize();
        FeatureMoments moments = new FeatureMoments(hidden);
        for (TokenStates text : states) {
            for (int t = 0; t < text.length(); t++) {
                moments.add(text.states(), t * hidden);
            }
        }
        return moments.meanAndStd();
    }

    /** Indices grouped into batches of texts of similar token length. */
    static List<int[]> lengthBuckets(List<TokenStates> states, int batchSize) {
        Integer[] order = new Integer[states.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> states.get(i).length()));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] batch = new int[to - from];
            for (int i = from; i < to; i++) {
                batch[i - from] = order[i];
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Pads the chosen texts' states into {@code [batch, tokens, hidden]} plus a {@code [batch, tokens]} mask. */
    static NDList toBatch(NDManager manager, List<TokenStates> states, int[] batch) {
        int hidden = states.get(batch[0]).hiddenSize();
        int width = 0;
        for (int index : batch) {
            width = Math.max(width, states.get(index).length());
        }
        float[] values = new float[batch.length * width * hidden];
        float[] mask = new float[batch.length * width];
        for (int b = 0; b < batch.length; b++) {
            TokenStates text = states.get(batch[b]);
            System.arraycopy(text.states(), 0, values, b * width * hidden, text.states().length);
            Arrays.fill(mask, b * width, b * width + text.length(), 1f);
        }
        return new NDList(
                manager.create(values, new Shape(batch.length, width, hidden)),
                manager.create(mask, new Shape(batch.length, width)));
    }
}
