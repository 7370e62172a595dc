/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import java.util.List;
import java.util.Map;

/**
 * The sentiment of one text.
 *
 * @param label         most probable label ("negative" or "positive" for the bundled head)
 * @param score         probability of {@code label}
 * @param probabilities probability of every label, in the head's label order
 * @param topTokens     the tokens the head attended to most, highest weight first: why it decided as it did
 */
public record Sentiment(String label, float score, Map<String, Float> probabilities, List<WeightedToken> topTokens) {
    public Sentiment {
        probabilities = Map.copyOf(probabilities);
        topTokens = List.copyOf(topTokens);
    }

    /** A token of the original text and the attention weight the head gave it. */
    public record WeightedToken(String token, int start, int end, float weight) {}
}
