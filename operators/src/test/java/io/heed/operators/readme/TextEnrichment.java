/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators.readme;

import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.operators.EnrichmentSettings;
import io.heed.operators.HeedEnrichment;
import io.heed.operators.InputFormat;
import io.heed.operators.RawRecord;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

public final class TextEnrichment {
    public static void addTo(
            DataStream<RawRecord> input, Sink<EnrichedText> enrichedSink, Sink<DeadLetter> deadLetterSink) {
        EnrichmentSettings settings = EnrichmentSettings.builder()
                .model(ModelSpec.builder()
                        .tasks(EnumSet.of(Task.SENTIMENT, Task.ENTITIES, Task.SUMMARY))
                        .summarySentences(3)
                        .build())
                .inputFormat(InputFormat.JSON)
                .maxBatchSize(64)
                .maxBatchWait(Duration.ofMillis(50))
                .build();
        HeedEnrichment.Result result = HeedEnrichment.enrich(input, settings);
        result.enriched().sinkTo(enrichedSink);
        result.deadLetters().sinkTo(deadLetterSink);
    }
}
