/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** Payloads for operator tests. */
final class TestEvents {
    private TestEvents() {}

    static TextEvent event(String id, String text) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setSource("test")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setAttributes(Map.of("k", "v"))
                .build();
    }

    static byte[] avro(TextEvent event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(TextEvent.class).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] json(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(String id, String text) {
        return json("{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"source\":\"test\"}");
    }
}
