/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;

/** How {@link RawRecord} payloads encode a {@code TextEvent}; each is one of {@link TextEventDeserializers}. */
@PublicEvolving
public enum InputFormat {
    /** Avro binary of the {@code TextEvent} schema, as written by Flink's {@code AvroSerializationSchema}. */
    AVRO,
    /** Avro single-object encoding: a header with the writer schema's fingerprint, then the Avro body. */
    AVRO_SINGLE_OBJECT,
    /** Schema Registry framing: a zero byte and the writer schema's registry id, then the Avro body. */
    AVRO_CONFLUENT,
    /** A JSON object with the {@code TextEvent} field names ({@code id}, {@code text}, {@code source}, ...). */
    JSON;

    /**
     * This format's deserializer. {@code schemaRegistryUrl} is needed by {@link #AVRO_CONFLUENT} only (null
     * otherwise).
     */
    public DeserializationSchema<TextEvent> deserializer(String schemaRegistryUrl) {
        if (this == AVRO_CONFLUENT && (schemaRegistryUrl == null || schemaRegistryUrl.isBlank())) {
            throw new IllegalArgumentException("input format avro_confluent needs a schema registry URL");
        }
        return switch (this) {
            case AVRO -> TextEventDeserializers.avro();
            case AVRO_SINGLE_OBJECT -> TextEventDeserializers.avroSingleObject();
            case AVRO_CONFLUENT -> TextEventDeserializers.avroConfluent(schemaRegistryUrl);
            case JSON -> TextEventDeserializers.json();
        };
    }

    public static InputFormat parse(String value) {
        for (InputFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException(
                "Unknown input format '" + value + "': expected avro, avro_single_object, avro_confluent or json");
    }
}
