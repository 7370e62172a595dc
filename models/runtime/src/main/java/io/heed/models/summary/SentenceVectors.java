/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import io.heed.models.encoder.TokenStates;
import java.util.List;

/**
 * Sentence vectors taken from the encoder pass that already ran over the whole text: the mean of the states of the
 * tokens whose character span lies inside the sentence's span. Special tokens ([CLS], [SEP], whose span is 0/0) are
 * skipped. No extra encoder call is made. A sentence with no token inside it (e.g. cut off because the text exceeded
 * the encoder's document limit) gets no vector ({@code null}) and must not be a candidate.
 *
 * @param vectors    one vector per sentence, {@code null} where the sentence has no token
 * @param tokenCounts encoder tokens inside each sentence
 */
record SentenceVectors(float[][] vectors, int[] tokenCounts) {

    static SentenceVectors of(List<SentenceSplitter.Span> sentences, TokenStates states) {
        int n = sentences.size();
        int hidden = states.hiddenSize();
        float[][] vectors = new float[n][];
        int[] counts = new int[n];
        double[] sum = new double[hidden];
        for (int s = 0; s < n; s++) {
            SentenceSplitter.Span span = sentences.get(s);
            java.util.Arrays.fill(sum, 0);
            for (int t = 0; t < states.length(); t++) {
                if (!inside(states.charStarts()[t], states.charEnds()[t], span.start(), span.end())) {
                    continue;
                }
                counts[s]++;
                int offset = t * hidden;
                for (int d = 0; d < hidden; d++) {
                    sum[d] += states.states()[offset + d];
                }
            }
            if (counts[s] > 0) {
                float[] vector = new float[hidden];
                for (int d = 0; d < hidden; d++) {
                    vector[d] = (float) (sum[d] / counts[s]);
                }
                vectors[s] = vector;
            }
        }
        return new SentenceVectors(vectors, counts);
    }

    /** Whether a token belongs to a sentence: its char span is not empty (special tokens) and lies inside. */
    static boolean inside(int tokenStart, int tokenEnd, int sentenceStart, int sentenceEnd) {
        return tokenEnd > tokenStart && tokenStart >= sentenceStart && tokenEnd <= sentenceEnd;
    }

    int size() {
        return vectors.length;
    }
}
