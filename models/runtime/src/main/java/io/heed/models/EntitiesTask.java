/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.GatherItems;
import io.heed.models.entities.Entity;
import io.heed.models.entities.EntityHead;
import io.heed.models.entities.HfEntityTagger;
import java.util.List;

/**
 * {@link Task#ENTITIES}: the bundled head (its per-word network in the heads graph, which gathers the words' states,
 * or in Java), or a user's model.
 */
final class EntitiesTask implements TaskHead {
    private final EntityHead head;
    private final boolean inGraph;
    private final HfEntityTagger userModel;

    private EntitiesTask(EntityHead head, boolean inGraph, HfEntityTagger userModel) {
        this.head = head;
        this.inGraph = inGraph;
        this.userModel = userModel;
    }

    static EntitiesTask head(EntityHead head, boolean inGraph) {
        return new EntitiesTask(head, inGraph, null);
    }

    static EntitiesTask userModel(HfEntityTagger model) {
        return new EntitiesTask(null, false, model);
    }

    @Override
    public boolean readsEncoder() {
        return head != null;
    }

    @Override
    public GatherItems.Planner planner() {
        return inGraph ? head::plan : null;
    }

    @Override
    public PerText start(List<String> texts) {
        if (userModel != null) {
            List<List<Entity>> predicted = userModel.predict(texts);
            return (i, text, encoded, into) -> into.entities(predicted.get(i));
        }
        return inGraph
                ? (i, text, encoded, into) -> into.entities(head.predict(text, encoded))
                : (i, text, encoded, into) -> into.entities(head.predict(text, encoded.states()));
    }

    @Override
    public String modelIdPart() {
        return userModel != null ? "+entities=" + userModel.modelId() : "+entities-crf-v1";
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
