/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.summary.Summary;
import java.util.List;
import java.util.Optional;

/**
 * What the model found in one text. Every enabled task's result comes from the same encoder pass.
 *
 * @param tokenCount encoder tokens of the text (special tokens included)
 * @param truncated  whether the text exceeded the document cap ({@code Windowing.maxDocumentTokens}) and was cut
 * @param sentiment  present when {@link Task#SENTIMENT} is enabled
 * @param entities   named entities in text order when {@link Task#ENTITIES} is enabled, else empty
 * @param summary    present when {@link Task#SUMMARY} is enabled
 */
public record TextAnalysis(
        int tokenCount,
        boolean truncated,
        Optional<Sentiment> sentiment,
        List<Entity> entities,
        Optional<Summary> summary) {
    public TextAnalysis {
        entities = List.copyOf(entities);
    }
}
