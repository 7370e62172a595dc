/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.Map;

/**
 * One text after the encoder pass: its token states and what the {@link HeadsGraph} computed from them.
 *
 * @param states       token states covering the whole text
 * @param tokenOutputs per-token head outputs by name, stitched like the states: {@code states.length() x k} each
 * @param itemOutputs  per-item head outputs by name, in the order of the text's {@link GatherItems}: {@code items x k}
 */
public record EncodedText(TokenStates states, Map<String, float[]> tokenOutputs, Map<String, float[]> itemOutputs) {
    public EncodedText {
        tokenOutputs = Map.copyOf(tokenOutputs);
        itemOutputs = Map.copyOf(itemOutputs);
    }

    /** A per-token output; fails naming what the graph has when it lacks {@code name}. */
    public float[] tokenOutput(String name) {
        return require(tokenOutputs, name);
    }

    /** A per-item output; fails naming what the graph has when it lacks {@code name}. */
    public float[] itemOutput(String name) {
        return require(itemOutputs, name);
    }

    private static float[] require(Map<String, float[]> outputs, String name) {
        float[] values = outputs.get(name);
        if (values == null) {
            throw new IllegalStateException("the heads graph has no output " + name + " (it has " + outputs.keySet()
                    + "): it was built for other heads");
        }
        return values;
    }
}
