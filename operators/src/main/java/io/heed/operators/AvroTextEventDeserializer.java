/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Avro TextEvents read with the schema they were written with, resolved to the current {@link TextEvent}: a producer
 * one schema version behind or ahead is read, not dead-lettered. How the writer's schema is found is the {@link
 * Framing}: plain Avro (the current schema, no header), Avro single-object encoding (a fingerprint) or Schema Registry
 * framing (a schema id).
 *
 * <p>Strict about the body: trailing bytes after a TextEvent are a decode failure, so a payload of another schema
 * rarely slips through, and hostile length fields (Avro then fails allocation or reads past the end) become an {@link
 * IOException}, i.e. an UNDECODABLE dead letter, never a failed task.
 */
final class AvroTextEventDeserializer extends TextEventDeserializer {
    private static final long serialVersionUID = 1L;

    /** Finds the writer's schema of one payload. */
    interface Framing extends Serializable {
        /**
         * Reads the frame's header, leaving {@code payload}'s position at the Avro body, and returns the writer's
         * schema. Throws {@link IOException} when this payload's header is wrong (dead-letter it), {@link
         * SystemicInputFault} when the schema cannot be looked up at all (fail the task).
         */
        Schema writerSchema(ByteBuffer payload) throws IOException;

        /** Called once per operator instance before the first payload. */
        default void open() throws Exception {}
    }

    private final Framing framing;

    private transient Map<Schema, SpecificDatumReader<TextEvent>> readers;
    private transient BinaryDecoder decoder;

    AvroTextEventDeserializer(Framing framing) {
        this.framing = framing;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        framing.open();
    }

    @Override
    public TextEvent deserialize(byte[] payload) throws IOException {
        if (payload.length == 0) {
            throw new IOException("empty payload: no Avro TextEvent");
        }
        ByteBuffer frame = ByteBuffer.wrap(payload);
        Schema writer = framing.writerSchema(frame);
        SpecificDatumReader<TextEvent> reader = readerFor(writer);
        decoder = DecoderFactory.get().binaryDecoder(payload, frame.position(), frame.remaining(), decoder);
        TextEvent event;
        try {
            event = reader.read(null, decoder);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // Hostile bytes can announce huge lengths; Avro then fails allocation or reads past the end.
            throw new IOException("not an Avro TextEvent: " + e, e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("Avro payload has trailing bytes after a TextEvent: wrong schema?");
        }
        return event;
    }

    /** A reader from {@code writer} to the current TextEvent, once per writer schema; refuses unreadable writers. */
    private SpecificDatumReader<TextEvent> readerFor(Schema writer) throws IOException {
        if (readers == null) {
            readers = new IdentityHashMap<>();
        }
        SpecificDatumReader<TextEvent> reader = readers.get(writer);
        if (reader == null) {
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(TextEvent.getClassSchema(), writer);
            if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
                throw new IOException("writer schema " + writer.getFullName() + " cannot be read as a TextEvent: "
                        + compatibility.getResult().getIncompatibilities().stream()
                                .map(i -> i.getMessage() + " at " + i.getLocation())
                                .findFirst()
                                .orElse(compatibility.getDescription()));
            }
            reader = new SpecificDatumReader<>(writer, TextEvent.getClassSchema());
            readers.put(writer, reader);
        }
        return reader;
    }

    @Override
    public String toString() {
        return framing.toString();
    }
}
