/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.io.Serializable;

/**
 * How texts longer than the encoder's window are covered: split into overlapping windows of {@code windowTokens}
 * (special tokens included) that share {@code overlapTokens}; each token keeps the state from the window where it sits
 * furthest from an edge, so every token has full context on both sides where the text allows. Texts beyond
 * {@code maxDocumentTokens} are cut there (and flagged as truncated).
 */
public record Windowing(int windowTokens, int overlapTokens, int maxDocumentTokens) implements Serializable {
    public Windowing {
        if (windowTokens < 8 || windowTokens > 512) {
            throw new IllegalArgumentException("windowTokens must be within [8, 512], got " + windowTokens);
        }
        if (overlapTokens < 0 || overlapTokens > (windowTokens - 2) / 2) {
            throw new IllegalArgumentException("overlapTokens must be within [0, " + (windowTokens - 2) / 2
                    + "] for a window of " + windowTokens + ", got " + overlapTokens);
        }
        if (maxDocumentTokens < windowTokens) {
            throw new IllegalArgumentException("maxDocumentTokens (" + maxDocumentTokens
                    + ") must be at least windowTokens (" + windowTokens + ")");
        }
    }

    /** A window of {@code windowTokens} with a quarter of it overlapping, documents up to 16,384 tokens. */
    public static Windowing of(int windowTokens) {
        return new Windowing(windowTokens, (windowTokens - 2) / 4, Math.max(16_384, windowTokens));
    }

    /** Tokens of text per window (the window less [CLS] and [SEP]). */
    int bodyTokens() {
        return windowTokens - 2;
    }

    /** How far each window starts after the previous one. */
    int step() {
        return bodyTokens() - overlapTokens;
    }
}
