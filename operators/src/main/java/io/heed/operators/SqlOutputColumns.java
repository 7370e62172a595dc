/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelInfo;
import io.heed.models.Task;
import io.heed.models.TextAnalysis;
import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The OUTPUT columns a {@code CREATE MODEL ... WITH ('provider' = 'heed')} may declare, checked when the query is
 * planned, and how a model result fills them. Columns are matched by name (any case); each may appear or not, in any
 * order:
 *
 * <pre>
 *   sentiment               STRING                          negative, neutral or positive
 *   sentiment_score         FLOAT | DOUBLE                  probability of that label
 *   sentiment_probabilities MAP&lt;STRING, FLOAT | DOUBLE&gt;    every label's probability
 *   entities                ARRAY&lt;ROW&lt;text STRING, type STRING, start INT, end INT, score FLOAT&gt;&gt;
 *                                                           (any subset of those fields, by name; offsets are
 *                                                           UTF-16 indices into the input text, end exclusive)
 *   summary                 STRING
 *   model_id                STRING                          provenance: encoder, weights and heads
 *   error                   STRING                          why a row has no results (null, blank or too large text)
 * </pre>
 */
final class SqlOutputColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One known column: its name and the task that computes it (none for provenance and errors). */
    enum Kind {
        SENTIMENT(Task.SENTIMENT),
        SENTIMENT_SCORE(Task.SENTIMENT),
        SENTIMENT_PROBABILITIES(Task.SENTIMENT),
        ENTITIES(Task.ENTITIES),
        SUMMARY(Task.SUMMARY),
        MODEL_ID(null),
        ERROR(null);

        private final Task task;

        Kind(Task task) {
            this.task = task;
        }

        String columnName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> ENTITY_FIELDS = Set.of("text", "type", "start", "end", "score");

    private final List<Kind> kinds;
    private final List<LogicalType> types;

    private SqlOutputColumns(List<Kind> kinds, List<LogicalType> types) {
        this.kinds = kinds;
        this.types = types;
    }

    /**
     * Checks the declared OUTPUT against the known columns and the enabled tasks.
     *
     * @throws ValidationException naming the column and what is expected, so the query fails when it is planned
     */
    static SqlOutputColumns of(ResolvedSchema output, Set<Task> tasks) {
        List<Kind> kinds = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        for (Column column : output.getColumns()) {
            Kind kind = kindOf(column.getName());
            LogicalType type = column.getDataType().getLogicalType();
            String expected = expectedType(kind, type);
            if (expected != null) {
                throw new ValidationException(
                        "Heed model output column '" + column.getName() + "' is " + type + "; expected " + expected);
            }
            if (kind.task != null && !tasks.contains(kind.task)) {
                throw new ValidationException("Heed model output column '" + column.getName() + "' needs the task "
                        + kind.task.name().toLowerCase(Locale.ROOT) + ", which 'tasks' does not enable (" + tasks
                        + ")");
            }
            kinds.add(kind);
            types.add(type);
        }
        if (kinds.stream().allMatch(k -> k.task == null)) {
            throw new ValidationException("A Heed model needs at least one result column in its OUTPUT: "
                    + Arrays.stream(Kind.values())
                            .filter(k -> k.task != null)
                            .map(Kind::columnName)
                            .collect(Collectors.joining(", ")));
        }
        return new SqlOutputColumns(List.copyOf(kinds), List.copyOf(types));
    }

    private static Kind kindOf(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.columnName().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new ValidationException("Unknown Heed model output column '" + name + "': expected some of "
                + Arrays.stream(Kind.values()).map(Kind::columnName).collect(Collectors.joining(", ")));
    }

    /** Null when {@code type} fits {@code kind}, else what would. */
    private static String expectedType(Kind kind, LogicalType type) {
        switch (kind) {
            case SENTIMENT_SCORE:
                return isFloating(type) ? null : "FLOAT or DOUBLE";
            case SENTIMENT_PROBABILITIES:
                return type instanceof MapType map && isString(map.getKeyType()) && isFloating(map.getValueType())
                        ? null
                        : "MAP<STRING, FLOAT>";
            case ENTITIES:
                return isEntityArray(type)
                        ? null
                        : "ARRAY<ROW<text STRING, type STRING, start INT, end INT, score FLOAT>>";
            default:
                return isString(type) ? null : "STRING";
        }
    }

    private static boolean isEntityArray(LogicalType type) {
        if (!(type instanceof ArrayType array) || !(array.getElementType() instanceof RowType row)) {
            return false;
        }
        for (RowType.RowField field : row.getFields()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            LogicalType fieldType = field.getType();
            boolean fits = switch (name) {
                case "text", "type" -> isString(fieldType);
                case "start", "end" -> fieldType.is(LogicalTypeRoot.INTEGER) || fieldType.is(LogicalTypeRoot.BIGINT);
                case "score" -> isFloating(fieldType);
                default -> false;
            };
            if (!ENTITY_FIELDS.contains(name) || !fits) {
                return false;
            }
        }
        return true;
    }

    private static boolean isString(LogicalType type) {
        return type.is(LogicalTypeFamily.CHARACTER_STRING);
    }

    private static boolean isFloating(LogicalType type) {
        return type.is(LogicalTypeRoot.FLOAT) || type.is(LogicalTypeRoot.DOUBLE);
    }

    /** The output row of a text the model analysed. */
    RowData results(TextAnalysis analysis, ModelInfo info) {
        GenericRowData row = new GenericRowData(kinds.size());
        Sentiment sentiment = analysis.sentiment().orElse(null);
        for (int i = 0; i < kinds.size(); i++) {
            LogicalType type = types.get(i);
            Object value = switch (kinds.get(i)) {
                case SENTIMENT -> sentiment == null ? null : StringData.fromString(sentiment.label());
                case SENTIMENT_SCORE -> sentiment == null ? null : floating(type, sentiment.score());
                case SENTIMENT_PROBABILITIES ->
                    sentiment == null
                            ? null
                            : probabilities(((MapType) type).getValueType(), sentiment.probabilities());
                case ENTITIES -> entities((RowType) ((ArrayType) type).getElementType(), analysis.entities());
                case SUMMARY ->
                    analysis.summary().map(s -> StringData.fromString(s.text())).orElse(null);
                case MODEL_ID -> StringData.fromString(info.modelId());
                case ERROR -> null;
            };
            row.setField(i, value);
        }
        return row;
    }

    /** The output row of a text the model did not analyse: results null, the reason in the error column. */
    RowData rejected(String reason, ModelInfo info) {
        GenericRowData row = new GenericRowData(kinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == Kind.ERROR) {
                row.setField(i, StringData.fromString(reason));
            } else if (kinds.get(i) == Kind.MODEL_ID) {
                row.setField(i, StringData.fromString(info.modelId()));
            }
        }
        return row;
    }

    private static Object floating(LogicalType type, double value) {
        return type.is(LogicalTypeRoot.FLOAT) ? (Object) (float) value : (Object) value;
    }

    private static GenericMapData probabilities(LogicalType valueType, Map<String, Float> probabilities) {
        Map<Object, Object> map = new LinkedHashMap<>();
        probabilities.forEach((label, p) -> map.put(StringData.fromString(label), floating(valueType, p)));
        return new GenericMapData(map);
    }

    private static GenericArrayData entities(RowType rowType, List<Entity> entities) {
        Object[] rows = new Object[entities.size()];
        for (int e = 0; e < rows.length; e++) {
            Entity entity = entities.get(e);
            GenericRowData row = new GenericRowData(rowType.getFieldCount());
            for (int f = 0; f < rowType.getFieldCount(); f++) {
                LogicalType type = rowType.getTypeAt(f);
                Object value = switch (rowType.getFieldNames().get(f).toLowerCase(Locale.ROOT)) {
                    case "text" -> StringData.fromString(entity.text());
                    case "type" -> StringData.fromString(entity.type());
                    case "start" -> integer(type, entity.start());
                    case "end" -> integer(type, entity.end());
                    default -> floating(type, entity.score());
                };
                row.setField(f, value);
            }
            rows[e] = row;
        }
        return new GenericArrayData(rows);
    }

    private static Object integer(LogicalType type, int value) {
        return type.is(LogicalTypeRoot.BIGINT) ? (Object) (long) value : (Object) value;
    }
}
