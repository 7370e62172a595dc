/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/** Decodes Avro binary TextEvents; rejects trailing bytes, so a payload of another schema rarely slips through. */
final class AvroTextEventDecoder implements TextEventDecoder {
    private final SpecificDatumReader<TextEvent> reader = new SpecificDatumReader<>(TextEvent.class);
    private BinaryDecoder decoder;

    @Override
    public TextEvent decode(byte[] payload) throws DecodeException {
        decoder = DecoderFactory.get().binaryDecoder(payload, decoder);
        try {
            TextEvent event = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new DecodeException("Avro payload has trailing bytes after a TextEvent: wrong schema?");
            }
            return event;
        } catch (DecodeException e) {
            throw e;
        } catch (Exception | OutOfMemoryError e) {
            // Hostile bytes can announce huge lengths; Avro then fails allocation or reads past the end.
            throw new DecodeException("not an Avro TextEvent: " + e, e);
        }
    }
}
