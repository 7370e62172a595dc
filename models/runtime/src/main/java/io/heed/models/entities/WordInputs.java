/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import io.heed.models.encoder.TokenStates;

/**
 * Everything the entity head reads about the words of one text: the encoder state of each word's first wordpiece,
 * its flags and its hashed ids. Training caches these per sentence; inference builds them per call.
 *
 * @param count      number of words
 * @param hiddenSize width of one encoder state
 * @param states     first-wordpiece state of each word, {@code count x hiddenSize} (zeros where {@code !hasState})
 * @param hasState   whether a wordpiece overlaps the word (the tokenizer drops e.g. control chars)
 * @param flags      {@code count x FLAG_COUNT}
 * @param ids        {@code count x ID_COUNT}, each in {@code [0, buckets)}
 */
record WordInputs(int count, int hiddenSize, float[] states, boolean[] hasState, float[] flags, int[] ids) {

    static WordInputs of(Words words, TokenStates tokens, int buckets) {
        int count = words.count();
        int hidden = tokens.hiddenSize();
        float[] states = new float[count * hidden];
        boolean[] hasState = new boolean[count];
        int[] firstTokens = firstTokens(words, tokens);
        for (int i = 0; i < count; i++) {
            if (firstTokens[i] >= 0) {
                hasState[i] = true;
                System.arraycopy(tokens.states(), firstTokens[i] * hidden, states, i * hidden, hidden);
            }
        }
        return new WordInputs(
                count, hidden, states, hasState, WordFeatures.flags(words), WordFeatures.hashedIds(words, buckets));
    }

    /**
     * For each word, the first wordpiece whose char span overlaps it, or -1 if none does. Wordpieces are in text
     * order (the encoder stitches long texts back together); special tokens have empty spans and never match.
     */
    static int[] firstTokens(Words words, TokenStates tokens) {
        return firstTokens(words, tokens.charStarts(), tokens.charEnds());
    }

    /** {@link #firstTokens(Words, TokenStates)} over bare token char spans. */
    static int[] firstTokens(Words words, int[] starts, int[] ends) {
        int[] first = new int[words.count()];
        int tokenCount = starts.length;
        int t = 0;
        for (int i = 0; i < words.count(); i++) {
            int wordStart = words.starts()[i];
            int wordEnd = words.ends()[i];
            while (t < tokenCount && (ends[t] <= wordStart || ends[t] <= starts[t])) {
                t++;
            }
            first[i] = t < tokenCount && starts[t] < wordEnd ? t : -1;
        }
        return first;
    }
}
