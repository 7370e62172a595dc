/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.InferenceDevice;
import io.heed.models.TextAnalysis;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ML_PREDICT} runs for a Heed model: an async function that micro-batches concurrent rows into the shared
 * model of the TaskManager (the default, {@code 'async' = 'true'}), and a sync one that runs each row alone. Both load
 * the model through {@link SharedModel}, so SQL queries and DataStream operators with the same model options share
 * one loaded model per TaskManager. Public only because the planner's generated code refers to the functions by name.
 */
@Internal
public final class HeedModelProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {
    private final Map<String, String> modelOptions;
    private final Rows rows;

    /**
     * @param modelOptions the model's {@code WITH} options as written, which a query's {@code ML_PREDICT} config map
     *     may override for the operator's options
     */
    HeedModelProvider(Map<String, String> modelOptions, EnrichmentSettings settings, SqlOutputColumns columns) {
        this.modelOptions = Map.copyOf(modelOptions);
        this.rows = new Rows(settings, columns);
    }

    @Override
    public PredictFunction createPredictFunction(ModelProvider.Context context) {
        return new SyncPredict(rowsFor(context.runtimeConfig()));
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
        return new AsyncPredict(rowsFor(context.runtimeConfig()));
    }

    @Override
    public ModelProvider copy() {
        return new HeedModelProvider(modelOptions, rows.settings, rows.columns);
    }

    /**
     * The rows of one query: the operator's options (batching, limits, device) may be set per query in
     * {@code ML_PREDICT}'s config map, e.g. {@code MAP['max-batch-wait', '5 ms']}, over the model's; the model's own
     * options (encoder, tasks, ...) stay the model's, since its output columns were checked against them.
     */
    private Rows rowsFor(ReadableConfig queryConfig) {
        Map<String, String> given = queryConfig.toMap();
        Map<String, String> query = new HashMap<>();
        for (ConfigOption<?> option : HeedModelProviderFactory.OPTIONS) {
            String value = given.get(option.key());
            if (value != null && HeedOptions.OPERATOR_OPTIONS.contains(option)) {
                query.put(option.key(), value);
            }
        }
        if (query.isEmpty()) {
            return rows;
        }
        Map<String, String> merged = new HashMap<>(modelOptions);
        merged.putAll(query);
        try {
            return new Rows(HeedModelProviderFactory.settings(merged), rows.columns);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid Heed option in the ML_PREDICT config map: " + e.getMessage(), e);
        }
    }

    /**
     * What both functions share, fixed when the query is planned (the settings and output columns) and made on open
     * (the model lease on the subtask's device, input validation, metrics): from input row to output row, except how
     * texts reach the model.
     */
    static final class Rows implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(HeedModelProvider.class);
        private static final int HISTOGRAM_WINDOW = 1024;

        final EnrichmentSettings settings;
        final SqlOutputColumns columns;
        private transient SharedModel.Lease model;
        private transient InputValidation validation;
        private transient Counter rowsIn;
        private transient Counter rowsRejected;
        private transient Histogram batchSize;

        Rows(EnrichmentSettings settings, SqlOutputColumns columns) {
            this.settings = settings;
            this.columns = columns;
        }

        /** Rows in this instance's copy, so each function instance opens and closes its own lease. */
        Rows copy() {
            return new Rows(settings, columns);
        }

        void open(FunctionContext context) {
            InferenceDevice device = DeviceSelection.select(
                    settings.device(),
                    context.getExternalResourceInfos(DeviceSelection.GPU_RESOURCE),
                    context.getTaskInfo().getIndexOfThisSubtask());
            model = SharedModel.acquire(
                    settings.model().toBuilder().device(device).build());
            validation = new InputValidation(settings.maxTextBytes());
            MetricGroup group = context.getMetricGroup().addGroup("heed");
            rowsIn = group.counter("recordsIn");
            rowsRejected = group.counter("recordsRejected");
            batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
            LOG.info(
                    "Heed ML_PREDICT open: {} on {} (device {}: chose {}), subtask {}",
                    model.info().modelId(),
                    model.info().device(),
                    settings.device(),
                    device,
                    context.getTaskInfo().getIndexOfThisSubtask());
        }

        SharedModel.Lease model() {
            return model;
        }

        Histogram batchSize() {
            return batchSize;
        }

        /** The output row of a row the model does not see (null, blank or too large text), if this is one. */
        Optional<RowData> rejected(RowData input) {
            rowsIn.inc();
            String text = input.isNullAt(0) ? null : input.getString(0).toString();
            Optional<RowData> rejected = validation
                    .checkText(text)
                    .map(r -> columns.rejected(r.reason() + ": " + r.message(), model.info()));
            rejected.ifPresent(row -> rowsRejected.inc());
            return rejected;
        }

        static String text(RowData input) {
            return input.getString(0).toString();
        }

        Collection<RowData> results(TextAnalysis analysis) {
            return List.of(columns.results(analysis, model.info()));
        }

        void close() {
            if (model != null) {
                model.close();
                model = null;
            }
        }
    }

    /** One row, one model call: for {@code 'async' = 'false'}. */
    public static final class SyncPredict extends PredictFunction {
        private static final long serialVersionUID = 1L;
        private final Rows rows;

        SyncPredict(Rows rows) {
            this.rows = rows.copy();
        }

        @Override
        public void open(FunctionContext context) {
            rows.open(context);
        }

        @Override
        public Collection<RowData> predict(RowData input) {
            Optional<RowData> rejected = rows.rejected(input);
            if (rejected.isPresent()) {
                return List.of(rejected.get());
            }
            try {
                rows.batchSize().update(1);
                TextAnalysis analysis = rows.model()
                        .analyze(List.of(rows.model().tokenize(Rows.text(input))))
                        .get(rows.settings.batchTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .analyses()
                        .get(0);
                return rows.results(analysis);
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
            rows.close();
        }
    }

    /** Concurrent rows micro-batched into one model call ({@link SqlPredictBatcher}). */
    public static final class AsyncPredict extends AsyncPredictFunction {
        private static final long serialVersionUID = 1L;
        private final Rows rows;
        private transient SqlPredictBatcher batcher;

        AsyncPredict(Rows rows) {
            this.rows = rows.copy();
        }

        @Override
        public void open(FunctionContext context) {
            rows.open(context);
            batcher = new SqlPredictBatcher(rows.model(), rows.settings, rows.batchSize()::update);
        }

        @Override
        public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
            Optional<RowData> rejected = rows.rejected(input);
            if (rejected.isPresent()) {
                return CompletableFuture.completedFuture(List.of(rejected.get()));
            }
            return batcher.submit(Rows.text(input)).thenApply(rows::results);
        }

        @Override
        public void close() throws Exception {
            if (batcher != null) {
                batcher.close();
            }
            rows.close();
        }
    }
}
