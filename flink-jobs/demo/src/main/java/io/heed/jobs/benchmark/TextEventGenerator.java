/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import io.heed.jobs.embedded.AvroBytes;
import io.heed.operators.RawRecord;
import io.heed.schemas.TextEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/** Turns record number {@code i} into the Avro bytes of a {@link TextEvent} stamped with the time it was made. */
final class TextEventGenerator implements GeneratorFunction<Long, RawRecord> {
    private static final long serialVersionUID = 1L;
    private final List<String> texts;

    TextEventGenerator(List<String> texts) {
        this.texts = List.copyOf(texts);
    }

    @Override
    public RawRecord map(Long index) {
        return RawRecord.of(AvroBytes.write(event(index, texts.get((int) (index % texts.size())))));
    }

    static TextEvent event(long index, String text) {
        return TextEvent.newBuilder()
                .setId("bench-" + index)
                .setText(text)
                .setSource("benchmark")
                .setEventTime(Instant.now())
                .setAttributes(Map.of())
                .build();
    }
}
