/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link TransformerEncoder#encode(List, HeadsGraph, GatherItems.Planner)} call collects from its forward
 * chunks: each row's states and per-token head outputs trimmed to its real tokens, and each text's per-item head
 * outputs. Confined to the calling thread.
 */
final class BatchPass {
    final float[][] rowStates;
    int hiddenSize;
    final Map<String, float[][]> rowTokenOutputs = new TreeMap<>();
    final Map<String, Integer> tokenOutputWidths = new HashMap<>();
    private final List<TextWindows> documents;
    /** Per text; null entries when no head gathers items. */
    private final GatherItems[] items;
    /** Per text: item outputs by name, {@code items x k}. */
    private final List<Map<String, float[]>> itemOutputs = new ArrayList<>();

    BatchPass(int rowCount, List<TextWindows> documents, GatherItems[] items) {
        this.rowStates = new float[rowCount][];
        this.documents = documents;
        this.items = items;
        for (int i = 0; i < documents.size(); i++) {
            itemOutputs.add(new TreeMap<>());
        }
    }

    void keepStates(float[] values, List<long[]> rows, int width, int firstRow) {
        hiddenSize = values.length / (rows.size() * width);
        trim(values, hiddenSize, rows, width, firstRow, rowStates);
    }

    void keepTokenOutput(String name, float[] values, List<long[]> rows, int width, int firstRow) {
        int k = values.length / (rows.size() * width);
        tokenOutputWidths.put(name, k);
        trim(
                values,
                k,
                rows,
                width,
                firstRow,
                rowTokenOutputs.computeIfAbsent(name, n -> new float[rowStates.length][]));
    }

    /** Keeps only the real tokens of each row: padding is masked and never read. */
    private static void trim(float[] values, int k, List<long[]> rows, int width, int firstRow, float[][] into) {
        for (int b = 0; b < rows.size(); b++) {
            int length = rows.get(b).length;
            into[firstRow + b] = Arrays.copyOfRange(values, b * width * k, (b * width + length) * k);
        }
    }

    Map<String, float[]> itemOutputs(int text) {
        return itemOutputs.get(text);
    }

    /** The items whose tokens sit in rows {@code [firstRow, firstRow + rowCount)} of width {@code width}. */
    Chunk chunk(int firstRow, int rowCount, int width) {
        return new Chunk(firstRow, rowCount, width);
    }

    final class Chunk {
        private final List<int[]> members = new ArrayList<>(); // {text, item}
        private final long[] index;
        private final float[] mask;

        private Chunk(int firstRow, int rowCount, int width) {
            List<Long> indexes = new ArrayList<>();
            List<Float> masks = new ArrayList<>();
            for (int text = 0; text < items.length; text++) {
                GatherItems gather = items[text];
                if (gather == null) {
                    continue;
                }
                TextWindows document = documents.get(text);
                for (int item = 0; item < gather.count(); item++) {
                    int token = gather.tokens()[item];
                    // An item without a token is read from the text's first row, masked to zero.
                    int[] at = token >= 0 ? document.locate(token) : new int[] {document.firstRow(), 0};
                    if (at[0] < firstRow || at[0] >= firstRow + rowCount) {
                        continue;
                    }
                    members.add(new int[] {text, item});
                    indexes.add((long) (at[0] - firstRow) * width + at[1]);
                    masks.add(token >= 0 ? 1f : 0f);
                }
            }
            this.index = indexes.stream().mapToLong(Long::longValue).toArray();
            this.mask = new float[masks.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = masks.get(i);
            }
        }

        /** The chunk's items as graph inputs; one masked item of zeros when there are none (the graph needs rows). */
        HeadsGraph.ItemChunk items(HeadsGraph heads) {
            if (!heads.readsItems()) {
                return new HeadsGraph.ItemChunk(0, new long[0], new float[0], List.of());
            }
            if (members.isEmpty()) {
                return heads.emptyItem();
            }
            List<GatherItems.Feature> features = new ArrayList<>();
            List<GatherItems.Feature> shapes = items[members.get(0)[0]].features();
            for (int f = 0; f < shapes.size(); f++) {
                GatherItems.Feature shape = shapes.get(f);
                int w = shape.width();
                boolean floats = shape.floats() != null;
                float[] floatValues = floats ? new float[members.size() * w] : null;
                long[] longValues = floats ? null : new long[members.size() * w];
                for (int m = 0; m < members.size(); m++) {
                    GatherItems.Feature source =
                            items[members.get(m)[0]].features().get(f);
                    int from = members.get(m)[1] * w;
                    if (floats) {
                        System.arraycopy(source.floats(), from, floatValues, m * w, w);
                    } else {
                        System.arraycopy(source.longs(), from, longValues, m * w, w);
                    }
                }
                features.add(new GatherItems.Feature(shape.name(), w, floatValues, longValues));
            }
            return new HeadsGraph.ItemChunk(members.size(), index, mask, features);
        }

        /** Scatters one per-item output of the chunk back to its texts. */
        void keepItemOutput(String name, float[] values) {
            if (members.isEmpty()) {
                return;
            }
            int k = values.length / members.size();
            for (int m = 0; m < members.size(); m++) {
                int text = members.get(m)[0];
                float[] into = itemOutputs.get(text).computeIfAbsent(name, n -> new float[items[text].count() * k]);
                System.arraycopy(values, m * k, into, members.get(m)[1] * k, k);
            }
        }
    }
}
