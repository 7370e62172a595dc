/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.schemas.ReleasedSchemas;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** The ways an Avro TextEvent payload names its writer's schema. */
final class AvroFramings {
    private AvroFramings() {}

    /** Plain Avro binary: no header, written with the current TextEvent schema (Flink's AvroSerializationSchema). */
    static final class Plain implements AvroTextEventDeserializer.Framing {
        private static final long serialVersionUID = 1L;

        @Override
        public Schema writerSchema(ByteBuffer payload) {
            return TextEvent.getClassSchema();
        }

        @Override
        public String toString() {
            return "avro";
        }
    }

    /**
     * Avro single-object encoding: {@code C3 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint (little-endian),
     * then the body; what Avro's generated {@code toByteBuffer()} writes. Known writers: the current TextEvent, every
     * released version (shipped in heed-schemas), and the extra schemas given (producers ahead of this build).
     */
    static final class SingleObject implements AvroTextEventDeserializer.Framing {
        private static final long serialVersionUID = 1L;
        private static final byte MARKER_1 = (byte) 0xC3;
        private static final byte MARKER_2 = (byte) 0x01;

        /** Extra writer schemas as JSON: Avro's Schema is not reliably serializable across versions. */
        private final List<String> extraSchemas;

        private transient Map<Long, Schema> byFingerprint;
        private transient String known;

        SingleObject(List<Schema> extraSchemas) {
            this.extraSchemas = extraSchemas.stream().map(Schema::toString).toList();
        }

        @Override
        public void open() {
            Map<Long, Schema> schemas = new HashMap<>();
            Map<String, Schema> named = new LinkedHashMap<>();
            List<Schema> released = ReleasedSchemas.of("TextEvent");
            for (int v = 0; v < released.size(); v++) {
                named.put("v" + (v + 1), released.get(v));
            }
            named.put("current", TextEvent.getClassSchema());
            for (int i = 0; i < extraSchemas.size(); i++) {
                named.put("extra " + (i + 1), new Schema.Parser().parse(extraSchemas.get(i)));
            }
            List<String> names = new ArrayList<>();
            named.forEach((name, schema) -> {
                // The current schema equals the newest release; keep one entry per fingerprint.
                if (schemas.putIfAbsent(SchemaNormalization.parsingFingerprint64(schema), schema) == null) {
                    names.add(name);
                }
            });
            byFingerprint = schemas;
            known = String.join(", ", names);
        }

        @Override
        public Schema writerSchema(ByteBuffer payload) throws IOException {
            if (byFingerprint == null) {
                open();
            }
            if (payload.remaining() < 10 || payload.get(0) != MARKER_1 || payload.get(1) != MARKER_2) {
                throw new IOException("not Avro single-object encoding: expected the header C3 01 and an 8-byte"
                        + " schema fingerprint, got " + hex(payload, Math.min(payload.remaining(), 10)));
            }
            long fingerprint = payload.order(ByteOrder.LITTLE_ENDIAN).getLong(2);
            payload.order(ByteOrder.BIG_ENDIAN).position(10);
            Schema schema = byFingerprint.get(fingerprint);
            if (schema == null) {
                throw new IOException(String.format(
                        "Avro single-object payload names writer schema fingerprint %016x, which is not a TextEvent"
                                + " schema this job knows (TextEvent %s); a producer ahead of this job needs its schema"
                                + " added, or Schema Registry framing (--format avro_confluent)",
                        fingerprint, known));
            }
            return schema;
        }

        @Override
        public String toString() {
            return "avro_single_object" + (extraSchemas.isEmpty() ? "" : "(+" + extraSchemas.size() + " schemas)");
        }
    }

    /**
     * Schema Registry framing (Confluent wire format, also spoken by Apicurio's and Redpanda's registries): a zero
     * magic byte, the writer schema's 4-byte big-endian registry id, then the body.
     */
    static final class SchemaRegistry implements AvroTextEventDeserializer.Framing {
        private static final long serialVersionUID = 1L;

        private final WriterSchemaRegistry registry;
        private transient Map<Integer, Schema> byId;

        SchemaRegistry(WriterSchemaRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void open() throws Exception {
            registry.open();
            byId = new HashMap<>();
        }

        @Override
        public Schema writerSchema(ByteBuffer payload) throws IOException {
            if (byId == null) {
                byId = new HashMap<>();
            }
            if (payload.remaining() < 5 || payload.get(0) != 0) {
                throw new IOException("not Schema Registry framing: expected a zero magic byte and a 4-byte schema id,"
                        + " got " + hex(payload, Math.min(payload.remaining(), 5)));
            }
            int id = payload.getInt(1);
            payload.position(5);
            Schema schema = byId.get(id);
            if (schema == null) {
                schema = registry.schema(id);
                if (schema == null) {
                    throw new IOException("schema id " + id + " is not in the schema registry (" + registry + ")");
                }
                byId.put(id, schema);
            }
            return schema;
        }

        @Override
        public String toString() {
            return "avro_confluent(" + registry + ")";
        }
    }

    private static String hex(ByteBuffer payload, int count) {
        if (count == 0) {
            return "no bytes";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(String.format("%02X", payload.get(i)));
        }
        return out.toString();
    }
}
