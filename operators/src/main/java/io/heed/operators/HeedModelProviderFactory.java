/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
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
 * The {@code WITH} options are {@link #OPTIONS}: {@link HeedOptions}' model and operator options, with the same keys,
 * defaults and meaning as the enrichment job's (docs/CONFIGURATION.md lists them). The INPUT is one string column; the
 * OUTPUT columns are those of {@link SqlOutputColumns}. A wrong schema or option fails when the query is planned.
 */
@PublicEvolving
public final class HeedModelProviderFactory implements ModelProviderFactory {
    /** The value of {@code 'provider'} that selects Heed. */
    public static final String IDENTIFIER = "heed";

    /**
     * The options a Heed model accepts in {@code WITH}: every model and operator option of {@link HeedOptions} except
     * {@code max-record-bytes}, which bounds Kafka records, not SQL rows.
     */
    public static final List<ConfigOption<?>> OPTIONS = Stream.concat(
                    HeedOptions.MODEL_OPTIONS.stream(), HeedOptions.OPERATOR_OPTIONS.stream())
            .filter(option -> !option.equals(HeedOptions.MAX_RECORD_BYTES))
            .toList();

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
        Set<ConfigOption<?>> options = new LinkedHashSet<>(OPTIONS);
        // 'tasks' is read by createModelProvider (comma-separated, as in the job), not by Flink's list syntax.
        options.remove(HeedOptions.TASKS);
        return options;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        ResolvedCatalogModel model = context.getCatalogModel();

        List<Column> inputs = model.getResolvedInputSchema().getColumns();
        if (inputs.size() != 1
                || !inputs.get(0).getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new ValidationException(
                    "A Heed model takes one STRING input column (the text), got " + model.getResolvedInputSchema());
        }
        EnrichmentSettings settings;
        try {
            // Read first, so that a bad value gets the same message as in the job, naming the option.
            settings = settings(model.getOptions());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid Heed model options: " + e.getMessage(), e);
        }
        // Unknown keys fail here; 'tasks' was read above, where a comma-separated list is accepted as in the job.
        FactoryUtil.createModelProviderFactoryHelper(this, context).validateExcept(HeedOptions.TASKS.key());
        return new HeedModelProvider(
                model.getOptions(),
                settings,
                SqlOutputColumns.of(
                        model.getResolvedOutputSchema(), settings.model().tasks()));
    }

    /** The settings that written options describe ({@code 'provider'} and other keys not of {@link #OPTIONS} aside). */
    static EnrichmentSettings settings(Map<String, String> written) {
        return HeedOptions.settings(Configuration.fromMap(OptionValues.normalize(written, OPTIONS)))
                .build();
    }
}
