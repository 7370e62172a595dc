/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Builds {@link EntityHeadBlock} inputs for chosen words of cached sentences, each with its +-1 word window. */
final class EntityBatches {
    private EntityBatches() {}

    /** A word: index of its sentence and its index in the sentence. */
    record WordRef(int sentence, int word) {}

    static NDList toBatch(NDManager manager, List<WordInputs> sentences, List<WordRef> words) {
        int hidden = sentences.get(words.get(0).sentence()).hiddenSize();
        int window = EntityHead.WINDOW;
        int flagCount = WordFeatures.FLAG_COUNT;
        int idCount = WordFeatures.ID_COUNT;
        int n = words.size();
        float[] states = new float[n * window * hidden];
        float[] stateMask = new float[n * window];
        float[] flags = new float[n * window * flagCount];
        long[] ids = new long[n * window * idCount];
        float[] present = new float[n * window];
        for (int b = 0; b < n; b++) {
            WordInputs sentence = sentences.get(words.get(b).sentence());
            for (int slot = 0; slot < window; slot++) {
                int w = words.get(b).word() + slot - EntityHead.CONTEXT;
                int position = b * window + slot;
                if (w < 0 || w >= sentence.count()) {
                    continue; // past the edge: all zeros, present 0 (ids 0 are masked out by present)
                }
                present[position] = 1f;
                if (sentence.hasState()[w]) {
                    stateMask[position] = 1f;
                    System.arraycopy(sentence.states(), w * hidden, states, position * hidden, hidden);
                }
                System.arraycopy(sentence.flags(), w * flagCount, flags, position * flagCount, flagCount);
                for (int s = 0; s < idCount; s++) {
                    ids[position * idCount + s] = sentence.ids()[w * idCount + s];
                }
            }
        }
        return new NDList(
                manager.create(states, new Shape(n, window, hidden)),
                manager.create(stateMask, new Shape(n, window)),
                manager.create(flags, new Shape(n, window, flagCount)),
                manager.create(ids, new Shape(n, window, idCount)),
                manager.create(present, new Shape(n, window)));
    }
}
