/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.sentiment.HfSentimentClassifier;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.sentiment.SentimentHead;
import java.util.List;

/** {@link Task#SENTIMENT}: the bundled head (its network in the heads graph, or in Java), or a user's model. */
final class SentimentTask implements TaskHead {
    private final SentimentHead head;
    private final boolean inGraph;
    private final HfSentimentClassifier userModel;

    private SentimentTask(SentimentHead head, boolean inGraph, HfSentimentClassifier userModel) {
        this.head = head;
        this.inGraph = inGraph;
        this.userModel = userModel;
    }

    /** A head on the encoder's states; {@code inGraph} when the heads graph computes its per-token network. */
    static SentimentTask head(SentimentHead head, boolean inGraph) {
        return new SentimentTask(head, inGraph, null);
    }

    static SentimentTask userModel(HfSentimentClassifier model) {
        return new SentimentTask(null, false, model);
    }

    @Override
    public boolean readsEncoder() {
        return head != null;
    }

    @Override
    public PerText start(List<String> texts) {
        if (userModel != null) {
            List<Sentiment> predicted = userModel.predict(texts);
            return (i, text, encoded, into) -> into.sentiment(predicted.get(i));
        }
        return inGraph
                ? (i, text, encoded, into) -> into.sentiment(head.predict(encoded))
                : (i, text, encoded, into) -> into.sentiment(head.predict(encoded.states()));
    }

    @Override
    public String modelIdPart() {
        return userModel != null ? "+sentiment=" + userModel.modelId() : "+sentiment-attention-v1";
    }

    @Override
    public String weightsSha256() {
        return userModel != null ? userModel.sha256() : head.sha256();
    }

    @Override
    public void close() {
        if (userModel != null) {
            userModel.close();
        }
    }
}
