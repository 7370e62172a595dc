/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.List;
import java.util.Objects;

/**
 * What a head gathers from one text's token states inside the {@link HeadsGraph}: one item per entry of
 * {@code tokens} (the document token whose state it reads, or -1 for none), with per-item features.
 *
 * @param tokens   document token of each item ([CLS] is 0), -1 where the item has no token
 * @param features per-item inputs of the graph, each {@code tokens.length x width}
 */
public record GatherItems(int[] tokens, List<Feature> features) {
    public GatherItems {
        Objects.requireNonNull(tokens, "tokens");
        features = List.copyOf(features);
        for (Feature feature : features) {
            int size = feature.floats() != null ? feature.floats().length : feature.longs().length;
            if (size != tokens.length * feature.width()) {
                throw new IllegalArgumentException(
                        feature.name() + " holds " + size + " values, not " + tokens.length + " x " + feature.width());
            }
        }
    }

    /** An input of the graph named {@code name} ({@link HeadsGraph#ITEM_PREFIX}...), float or int64. */
    public record Feature(String name, int width, float[] floats, long[] longs) {
        public Feature {
            if ((floats == null) == (longs == null)) {
                throw new IllegalArgumentException("a feature holds either floats or longs");
            }
        }

        public static Feature ofFloats(String name, int width, float[] values) {
            return new Feature(name, width, values, null);
        }

        public static Feature ofLongs(String name, int width, long[] values) {
            return new Feature(name, width, null, values);
        }
    }

    /** Plans the items of one text from its document tokens' char spans (special tokens have empty spans). */
    @FunctionalInterface
    public interface Planner {
        GatherItems plan(String text, int[] tokenStarts, int[] tokenEnds);
    }

    public int count() {
        return tokens.length;
    }
}
