/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * Heed as a Flink SQL model provider: a model that runs inside the TaskManagers, in the same process as the query.
 *
 * <pre>
 * CREATE MODEL ticket_nlp
 *   INPUT (text STRING)
 *   OUTPUT (sentiment STRING, sentiment_score FLOAT,
 *           entities ARRAY&lt;ROW&lt;text STRING, type STRING, `start` INT, `end` INT, score FLOAT&gt;&gt;, summary STRING)
 *   WITH ('provider' = 'heed', 'tasks' = 'sentiment,entities,summary');
 * SELECT id, sentiment, entities FROM ML_PREDICT(TABLE tickets, MODEL ticket_nlp, DESCRIPTOR(text));
 * </pre>
 *
 * The {@code WITH} options are {@link HeedOptions}' model options (encoder, encoder-weights, tasks, window-tokens,
 * ...) and its batching options (max-batch-size, max-batch-tokens, max-in-flight-batches, max-batch-wait, batch-timeout,
 * max-text-bytes), with the same keys,
 * defaults and meaning as the enrichment job's. The INPUT is one string column; the OUTPUT columns are those of
 * {@link SqlOutputColumns}. A wrong schema or option fails when the query is planned.
 */
@PublicEvolving
public final class HeedModelProviderFactory implements ModelProviderFactory {
    /** The value of {@code 'provider'} that selects Heed. */
    public static final String IDENTIFIER = "heed";

    private static final List<ConfigOption<?>> BATCHING_OPTIONS = List.of(
            HeedOptions.MAX_BATCH_SIZE,
            HeedOptions.MAX_BATCH_TOKENS,
            HeedOptions.MAX_IN_FLIGHT_BATCHES,
            HeedOptions.MAX_BATCH_WAIT,
            HeedOptions.BATCH_TIMEOUT,
            HeedOptions.MAX_TEXT_BYTES);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>(HeedOptions.MODEL_OPTIONS);
        options.addAll(BATCHING_OPTIONS);
        // 'tasks' is read by createModelProvider (comma-separated, as in the job), not by Flink's list syntax.
        options.remove(HeedOptions.TASKS);
        return options;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        // Unknown keys fail here; 'tasks' is read below, where a comma-separated list is accepted as in the job.
        helper.validateExcept(HeedOptions.TASKS.key());
        ResolvedCatalogModel model = context.getCatalogModel();
        ReadableConfig options = HeedOptions.fromStrings(model.getOptions());

        List<Column> inputs = model.getResolvedInputSchema().getColumns();
        if (inputs.size() != 1
                || !inputs.get(0).getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new ValidationException(
                    "A Heed model takes one STRING input column (the text), got " + model.getResolvedInputSchema());
        }
        ModelSpec spec;
        try {
            spec = HeedOptions.modelSpec(options);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid Heed model options: " + e.getMessage(), e);
        }
        MemorySize maxText = options.get(HeedOptions.MAX_TEXT_BYTES);
        int maxBatchSize = options.get(HeedOptions.MAX_BATCH_SIZE);
        if (maxBatchSize < 1 || maxText.getBytes() > Integer.MAX_VALUE) {
            throw new ValidationException("Invalid Heed model options: '" + HeedOptions.MAX_BATCH_SIZE.key()
                    + "' must be at least 1 and '" + HeedOptions.MAX_TEXT_BYTES.key() + "' at most 2 GB");
        }
        return new HeedModelProvider(new HeedModelProvider.Settings(
                spec,
                SqlOutputColumns.of(model.getResolvedOutputSchema(), spec.tasks()),
                (int) maxText.getBytes(),
                maxBatchSize,
                Math.max(1, options.get(HeedOptions.MAX_BATCH_TOKENS)),
                Math.max(1, options.get(HeedOptions.MAX_IN_FLIGHT_BATCHES)),
                options.get(HeedOptions.MAX_BATCH_WAIT),
                options.get(HeedOptions.BATCH_TIMEOUT)));
    }
}
