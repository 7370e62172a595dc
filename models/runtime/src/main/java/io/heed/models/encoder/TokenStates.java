/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.Objects;

/**
 * The encoder's last hidden states for one text, trimmed to its real tokens (padding removed), with each token's
 * wordpiece and character span in the original text. States are stored row-major in one array: token {@code t},
 * dimension {@code d} is at {@code t * hiddenSize + d}.
 *
 * @param states     hidden states, length {@code length * hiddenSize}
 * @param hiddenSize width of one state (384 for MiniLM)
 * @param tokens     wordpieces, including [CLS] and [SEP]
 * @param charStarts start char offset of each token in the original text (0 for special tokens)
 * @param charEnds   end char offset (exclusive) of each token (0 for special tokens)
 * @param truncated  whether the text had more tokens than the encoder window and was cut
 */
public record TokenStates(
        float[] states, int hiddenSize, String[] tokens, int[] charStarts, int[] charEnds, boolean truncated) {

    public TokenStates {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(tokens, "tokens");
        if (hiddenSize <= 0 || states.length != tokens.length * hiddenSize) {
            throw new IllegalArgumentException("states must hold " + tokens.length + " x " + hiddenSize + " values");
        }
        if (charStarts.length != tokens.length || charEnds.length != tokens.length) {
            throw new IllegalArgumentException("one char span per token expected");
        }
    }

    /** Number of real tokens, special tokens included. */
    public int length() {
        return tokens.length;
    }

    /** Value of dimension {@code d} of token {@code t}. */
    public float state(int t, int d) {
        return states[t * hiddenSize + d];
    }
}
