/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;

/**
 * The input formats Heed reads, as Flink {@link DeserializationSchema}s for {@link
 * EnrichmentSettings.Builder#input(DeserializationSchema)}. Any other {@code DeserializationSchema<TextEvent>} works
 * too: an exception it throws for a payload makes that record an UNDECODABLE dead letter with the exception's message,
 * except a {@link SystemicInputFault}, which fails the task.
 *
 * <p>The Avro formats read a payload with the schema it was written with and resolve it to the current {@link
 * TextEvent}, so producers one schema version behind or ahead are read (fields the reader lacks are skipped, fields
 * the writer lacks take their defaults); a writer schema that cannot be read as a TextEvent is a dead letter that says
 * why.
 */
@PublicEvolving
public final class TextEventDeserializers {
    private TextEventDeserializers() {}

    /** Plain Avro binary of the current TextEvent schema (no header), as Flink's {@code AvroSerializationSchema} writes. */
    public static DeserializationSchema<TextEvent> avro() {
        return new AvroTextEventDeserializer(new AvroFramings.Plain());
    }

    /**
     * Avro single-object encoding (header {@code C3 01} and the writer schema's fingerprint), as Avro's generated
     * {@code TextEvent.toByteBuffer()} writes. Knows every released TextEvent schema.
     */
    public static DeserializationSchema<TextEvent> avroSingleObject() {
        return avroSingleObject(List.of());
    }

    /** Like {@link #avroSingleObject()}, also knowing {@code writerSchemas} (producers ahead of this build). */
    public static DeserializationSchema<TextEvent> avroSingleObject(List<Schema> writerSchemas) {
        return new AvroTextEventDeserializer(new AvroFramings.SingleObject(List.copyOf(writerSchemas)));
    }

    /**
     * Schema Registry framing (a zero byte and a 4-byte schema id before the Avro body), as Confluent's {@code
     * KafkaAvroSerializer} writes; the writer's schema comes from the registry's REST API at {@code registryUrl}
     * (credentials as URL user info: {@code https://key:secret@host}). A registry that cannot be reached fails the
     * task rather than dead-lettering the stream.
     */
    public static DeserializationSchema<TextEvent> avroConfluent(String registryUrl) {
        return avroConfluent(new RestSchemaRegistry(registryUrl));
    }

    /** Schema Registry framing with writer schemas from {@code registry}. */
    public static DeserializationSchema<TextEvent> avroConfluent(WriterSchemaRegistry registry) {
        return new AvroTextEventDeserializer(new AvroFramings.SchemaRegistry(registry));
    }

    /** A JSON object with the TextEvent field names; see {@link InputFormat#JSON}. */
    public static DeserializationSchema<TextEvent> json() {
        return new JsonTextEventDeserializer();
    }
}
