/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelSpec;
import io.heed.models.TextAnalysis;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * What {@code ML_PREDICT} runs for a Heed model: an async function that micro-batches concurrent rows into the shared
 * model of the TaskManager (the default, {@code 'async' = 'true'}), and a sync one that runs each row alone. Both load
 * the model through {@link SharedModel}, so SQL queries and DataStream operators with the same model options share
 * one loaded model per TaskManager. Public only because the planner's generated code refers to the functions by name.
 */
@Internal
public final class HeedModelProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {
    private final Settings settings;

    /** What the functions need, fixed when the query is planned. */
    record Settings(
            ModelSpec model,
            SqlOutputColumns columns,
            int maxTextBytes,
            int maxBatchSize,
            int maxBatchTokens,
            int maxInFlightBatches,
            Duration maxBatchWait,
            Duration batchTimeout)
            implements Serializable {}

    HeedModelProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public PredictFunction createPredictFunction(ModelProvider.Context context) {
        return new SyncPredict(settings);
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
        return new AsyncPredict(settings);
    }

    @Override
    public ModelProvider copy() {
        return new HeedModelProvider(settings);
    }

    /** The input column's text, or why the row gets no results. */
    private static Optional<String> rejection(RowData input, InputValidation validation) {
        String text = input.isNullAt(0) ? null : input.getString(0).toString();
        return validation.checkText(text).map(r -> r.reason() + ": " + r.message());
    }

    /** One row, one model call: for {@code 'async' = 'false'}. */
    public static final class SyncPredict extends PredictFunction {
        private static final long serialVersionUID = 1L;
        private final Settings settings;
        private transient SharedModel.Lease model;
        private transient InputValidation validation;

        SyncPredict(Settings settings) {
            this.settings = settings;
        }

        @Override
        public void open(FunctionContext context) {
            model = SharedModel.acquire(settings.model());
            validation = new InputValidation(settings.maxTextBytes());
        }

        @Override
        public Collection<RowData> predict(RowData input) {
            Optional<String> rejected = rejection(input, validation);
            if (rejected.isPresent()) {
                return List.of(settings.columns().rejected(rejected.get(), model.info()));
            }
            try {
                TextAnalysis analysis = model.analyze(List.of(input.getString(0).toString()))
                        .get(settings.batchTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .analyses()
                        .get(0);
                return List.of(settings.columns().results(analysis, model.info()));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Systemic (engine, device, memory, a hung call): fail the task so that it restarts.
                throw new IllegalStateException("Heed model failed: " + e, e);
            }
        }

        @Override
        public void close() {
            if (model != null) {
                model.close();
            }
        }
    }

    /** Concurrent rows micro-batched into one model call ({@link SqlPredictBatcher}). */
    public static final class AsyncPredict extends AsyncPredictFunction {
        private static final long serialVersionUID = 1L;
        private final Settings settings;
        private transient SharedModel.Lease model;
        private transient InputValidation validation;
        private transient SqlPredictBatcher batcher;

        AsyncPredict(Settings settings) {
            this.settings = settings;
        }

        @Override
        public void open(FunctionContext context) {
            model = SharedModel.acquire(settings.model());
            validation = new InputValidation(settings.maxTextBytes());
            batcher = new SqlPredictBatcher(
                    model,
                    settings.maxBatchSize(),
                    settings.maxBatchTokens(),
                    settings.maxInFlightBatches(),
                    settings.maxBatchWait(),
                    settings.batchTimeout());
            context.getMetricGroup().addGroup("heed").gauge("sqlLastBatchSize", batcher::lastBatchSize);
        }

        @Override
        public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
            Optional<String> rejected = rejection(input, validation);
            if (rejected.isPresent()) {
                return CompletableFuture.completedFuture(
                        List.of(settings.columns().rejected(rejected.get(), model.info())));
            }
            return batcher.submit(input.getString(0).toString())
                    .thenApply(analysis -> List.of(settings.columns().results(analysis, model.info())));
        }

        @Override
        public void close() throws Exception {
            if (batcher != null) {
                batcher.close();
            }
            if (model != null) {
                model.close();
            }
        }
    }
}
