/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Entry point: adds Heed's enrichment to a stream of {@link RawRecord}s.
 *
 * <pre>{@code
 * HeedEnrichment.Result result = HeedEnrichment.enrich(rawRecords, EnrichmentSettings.builder().build());
 * result.enriched().sinkTo(enrichedSink);
 * result.deadLetters().sinkTo(deadLetterSink);
 * }</pre>
 */
@PublicEvolving
public final class HeedEnrichment {
    /** Side output of records that could not be enriched, each with a reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("heed-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Stable operator uid, so savepoints keep matching across job versions. */
    public static final String OPERATOR_UID = "heed-enrichment";

    private HeedEnrichment() {}

    /** The enriched stream and the dead-letter stream. Every input record ends up in exactly one of them. */
    public record Result(DataStream<EnrichedText> enriched, DataStream<DeadLetter> deadLetters) {}

    /** Operator name, independent of the settings, so metric names and dashboards survive a settings change. */
    public static final String OPERATOR_NAME = "Heed enrichment";

    public static Result enrich(DataStream<RawRecord> input, EnrichmentSettings settings) {
        return enrich(input, settings, new EnrichmentOperator(settings));
    }

    /** With the operator given: tests pass one whose model source injects faults. */
    static Result enrich(DataStream<RawRecord> input, EnrichmentSettings settings, EnrichmentOperator operator) {
        SingleOutputStreamOperator<EnrichedText> enriched = input.transform(
                        OPERATOR_NAME, new AvroTypeInfo<>(EnrichedText.class), operator)
                .uid(OPERATOR_UID)
                // The name is what metric names and REST queries carry: stable across settings. The settings go into
                // the description, which the web UI shows.
                .name(OPERATOR_NAME)
                .setDescription("Heed enrichment: " + settings);
        return new Result(enriched, enriched.getSideOutput(DEAD_LETTERS));
    }
}
