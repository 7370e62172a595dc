/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.ArrayList;
import java.util.List;

/** Baseline: the first three sentences of the text (same sentence splitter as the other systems). */
final class Lead3 {
    private Lead3() {}

    static Summary summarize(String text) {
        return summarize(text, SentenceSplitter.split(text));
    }

    static Summary summarize(String text, List<SentenceSplitter.Span> sentences) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < Math.min(3, sentences.size()); i++) {
            chosen.add(i);
        }
        return Summary.of(text, sentences, chosen);
    }
}
