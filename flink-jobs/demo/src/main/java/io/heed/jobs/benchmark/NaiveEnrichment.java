/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import io.heed.jobs.embedded.AvroBytes;
import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.models.TextModel;
import io.heed.models.encoder.EncoderVariant;
import io.heed.operators.RawRecord;
import io.heed.schemas.TextEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * The design a user writes first: a plain Flink map that calls a model once per record, one model per task and per
 * parallel instance, so every record costs one encoder pass per task.
 */
final class NaiveEnrichment extends RichMapFunction<RawRecord, Integer> {
    private static final long serialVersionUID = 1L;
    private final EncoderVariant encoder;
    private transient List<TextModel> models;

    NaiveEnrichment(EncoderVariant encoder) {
        this.encoder = encoder;
    }

    @Override
    public void open(OpenContext context) {
        models = new ArrayList<>();
        for (Task task : Task.values()) {
            models.add(TextModel.load(
                    ModelSpec.builder().encoder(encoder).tasks(EnumSet.of(task)).build()));
        }
    }

    @Override
    public Integer map(RawRecord raw) {
        TextEvent event = AvroBytes.read(raw.payload, TextEvent.class);
        for (TextModel model : models) {
            model.analyze(List.of(event.getText()));
        }
        Arrivals.record(event.getEventTime().toEpochMilli());
        return 0;
    }

    @Override
    public void close() {
        if (models != null) {
            models.forEach(TextModel::close);
        }
    }
}
