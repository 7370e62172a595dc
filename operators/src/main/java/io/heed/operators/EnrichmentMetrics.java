/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The operator's Flink metrics, under the {@code heed} group of the operator's metric group. */
final class EnrichmentMetrics {
    private static final int HISTOGRAM_WINDOW = 1024;

    final Counter recordsIn;
    final Counter recordsEnriched;
    final Counter recordsDeadLettered;
    final Histogram batchSize;
    /** Padded size of each batch: rows x longest row, in tokens. */
    final Histogram batchTokens;

    final Histogram inferenceLatencyMs;
    private final Map<DeadLetterReason, Counter> deadLetteredByReason = new EnumMap<>(DeadLetterReason.class);

    EnrichmentMetrics(MetricGroup operatorGroup, IntSupplier bufferedRecords, IntSupplier inFlightBatches) {
        MetricGroup group = operatorGroup.addGroup("heed");
        recordsIn = group.counter("recordsIn");
        recordsEnriched = group.counter("recordsEnriched");
        recordsDeadLettered = group.counter("recordsDeadLettered");
        batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batchTokens = group.histogram("batchTokens", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        inferenceLatencyMs =
                group.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge("bufferedRecords", bufferedRecords::getAsInt);
        group.gauge("inFlightBatches", inFlightBatches::getAsInt);
        MetricGroup byReason = group.addGroup("deadLettered");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetteredByReason.put(reason, byReason.counter(reason.name()));
        }
    }

    void deadLettered(DeadLetterReason reason) {
        recordsDeadLettered.inc();
        deadLetteredByReason.get(reason).inc();
    }
}
