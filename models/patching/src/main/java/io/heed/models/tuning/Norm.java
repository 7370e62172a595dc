/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

/**
 * The LayerNorms of the encoder: one after the embeddings, and two per layer (after the attention block's residual
 * add and after the feed-forward block's). The graph decomposes each into ReduceMean/Sub/Pow/Sqrt/Div, then
 * {@code Mul} by gamma and {@code Add} of beta, both 1-D initializers.
 */
public enum Norm {
    ATTENTION("attention_norm"),
    OUTPUT("output_norm");

    /** Role names of the LayerNorm after the embeddings. */
    public static final String EMBEDDINGS_GAMMA = "embeddings.norm.gamma";

    public static final String EMBEDDINGS_BETA = "embeddings.norm.beta";

    private final String key;

    Norm(String key) {
        this.key = key;
    }

    public String gamma(int layer) {
        return "layer." + layer + "." + key + ".gamma";
    }

    public String beta(int layer) {
        return "layer." + layer + "." + key + ".beta";
    }
}
