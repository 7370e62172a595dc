/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import org.apache.flink.annotation.PublicEvolving;

/** How {@link RawRecord} payloads encode a {@code TextEvent}. */
@PublicEvolving
public enum InputFormat {
    /** Avro binary of the {@code TextEvent} schema, as written by Flink's {@code AvroSerializationSchema}. */
    AVRO,
    /** A JSON object with the {@code TextEvent} field names ({@code id}, {@code text}, {@code source}, ...). */
    JSON;

    TextEventDecoder newDecoder() {
        return this == AVRO ? new AvroTextEventDecoder() : new JsonTextEventDecoder();
    }

    public static InputFormat parse(String value) {
        for (InputFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown input format '" + value + "': expected avro or json");
    }
}
