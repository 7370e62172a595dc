/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

/**
 * The six weight matrices of one BERT layer, in the order a layer applies them. Each is stored in the ONNX graph as
 * an initializer of shape {@code [in, out]} (the transpose of PyTorch's {@code nn.Linear} weight) used by one MatMul
 * node, with its bias added by the Add node that follows.
 */
public enum Projection {
    QUERY("query"),
    KEY("key"),
    VALUE("value"),
    ATTENTION_OUTPUT("attention_output"),
    INTERMEDIATE("intermediate"),
    OUTPUT("output");

    private final String key;

    Projection(String key) {
        this.key = key;
    }

    /** Role name of this layer's matrix, e.g. {@code layer.3.query.weight}. */
    public String weight(int layer) {
        return "layer." + layer + "." + key + ".weight";
    }

    /** Role name of this layer's bias, e.g. {@code layer.3.query.bias}. */
    public String bias(int layer) {
        return "layer." + layer + "." + key + ".bias";
    }
}
