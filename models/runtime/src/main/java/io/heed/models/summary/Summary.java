/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import java.util.List;
import java.util.Objects;

/**
 * An extractive summary.
 *
 * @param text            the chosen sentences, each exactly as it appears in the original text, joined with one space
 * @param sentenceIndices indices of the chosen sentences in the text's sentence list, in document order
 */
public record Summary(String text, List<Integer> sentenceIndices) {
    public Summary {
        Objects.requireNonNull(text, "text");
        sentenceIndices = List.copyOf(sentenceIndices);
    }

    static Summary empty() {
        return new Summary("", List.of());
    }

    /** The summary made of the given sentences (indices sorted into document order first). */
    static Summary of(String text, List<SentenceSplitter.Span> sentences, List<Integer> chosen) {
        List<Integer> sorted = chosen.stream().sorted().toList();
        StringBuilder joined = new StringBuilder();
        for (int index : sorted) {
            if (joined.length() > 0) {
                joined.append(' ');
            }
            joined.append(sentences.get(index).of(text));
        }
        return new Summary(joined.toString(), sorted);
    }
}
