/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncodedText;
import io.heed.models.encoder.GatherItems;
import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.summary.Summary;
import java.util.List;
import java.util.Optional;

/**
 * One task's part of {@link TextModel#analyze}: what it reads of the encoder pass (the states, the heads graph's
 * outputs, items it gathers there) and how it turns that into its result. {@link TextModel} runs the encoder once for
 * all of them and then every task's per-text step; adding a task is one more implementation (and its result's field).
 */
interface TaskHead extends AutoCloseable {
    /** Whether the task reads the bundled encoder's pass (a user's own model may not). */
    boolean readsEncoder();

    /** The items this task gathers from each text inside the heads graph, or null when it gathers none. */
    default GatherItems.Planner planner() {
        return null;
    }

    /**
     * Starts a batch: work done once for the whole batch (a user model's own batched forward pass), returning the
     * step that completes each text. Called on the calling thread of {@link TextModel#analyze}, as are the steps, one
     * text after another; several batches may be in flight at once, so steps must not share mutable state.
     */
    PerText start(List<String> texts);

    /** What the task adds to {@link ModelInfo#modelId()}, e.g. {@code +sentiment-attention-v1}. */
    String modelIdPart();

    /** SHA-256 of the task's own weights, hex, or empty when it has none. */
    String weightsSha256();

    @Override
    default void close() {}

    /** Completes one text: {@code encoded} is null when no task of the model reads the encoder. */
    @FunctionalInterface
    interface PerText {
        void complete(int index, String text, EncodedText encoded, Results into);
    }

    /** The results of one text, filled in by the tasks' steps. Confined to the thread completing that text. */
    final class Results {
        Optional<Sentiment> sentiment = Optional.empty();
        List<Entity> entities = List.of();
        Optional<Summary> summary = Optional.empty();

        void sentiment(Sentiment value) {
            sentiment = Optional.of(value);
        }

        void entities(List<Entity> value) {
            entities = value;
        }

        void summary(Summary value) {
            summary = Optional.of(value);
        }

        TextAnalysis build(int tokenCount, boolean truncated) {
            return new TextAnalysis(tokenCount, truncated, sentiment, entities, summary);
        }
    }
}
