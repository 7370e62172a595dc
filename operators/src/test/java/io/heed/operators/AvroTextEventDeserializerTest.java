/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.heed.schemas.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * Avro input is read with the writer's schema: payloads of a producer one version behind and one ahead, in Avro
 * single-object encoding and in Schema Registry framing, written by Avro's own encoders.
 */
class AvroTextEventDeserializerTest {
    private static final Schema PREVIOUS = writerSchema("TextEvent-previous.avsc");
    private static final Schema NEXT = writerSchema("TextEvent-next.avsc");
    private static final Schema CURRENT = TextEvent.getClassSchema();
    private static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

    private static Schema writerSchema(String name) {
        try (InputStream in = AvroTextEventDeserializerTest.class.getResourceAsStream("/writers/" + name)) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event of {@code schema} with every field the schema has set to a non-default value. */
    private static GenericRecord event(Schema schema, String id) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", id);
        record.put(
                "text",
                "Written by a producer with schema " + schema.getFields().size() + " fields.");
        record.put("source", "tickets");
        record.put("event_time", T0.toEpochMilli());
        if (schema.getField("language") != null) {
            record.put("language", "en");
        }
        if (schema.getField("attributes") != null) {
            record.put("attributes", Map.of("queue", "billing"));
        }
        if (schema.getField("title") != null) {
            record.put("title", "Invoice question");
            record.put("priority", 3);
        }
        return record;
    }

    private static byte[] body(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Avro's own single-object encoder: header C3 01, the schema's fingerprint, the body. */
    private static byte[] singleObject(GenericRecord record) throws IOException {
        ByteBuffer encoded =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /** Schema Registry wire format: magic byte 0, the schema id (4 bytes, big-endian), the body. */
    private static byte[] registryFramed(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(body)
                .array();
    }

    /** Opened the way the operator opens it, after a trip through Java serialization (the job graph). */
    private static DeserializationSchema<TextEvent> opened(DeserializationSchema<TextEvent> schema) throws Exception {
        DeserializationSchema<TextEvent> shipped = InstantiationUtil.clone(schema);
        shipped.open(null);
        return shipped;
    }

    private static void assertReadAsCurrent(TextEvent event, String id, boolean hadOptionalFields) {
        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getText()).startsWith("Written by a producer");
        assertThat(event.getSource()).isEqualTo("tickets");
        assertThat(event.getEventTime()).isEqualTo(T0);
        if (hadOptionalFields) {
            assertThat(event.getLanguage()).isEqualTo("en");
            assertThat(event.getAttributes()).containsExactlyEntriesOf(Map.of("queue", "billing"));
        } else {
            assertThat(event.getLanguage()).isNull(); // the reader's defaults
            assertThat(event.getAttributes()).isEmpty();
        }
    }

    @Test
    void plainAvroReadsTheCurrentSchema() throws Exception {
        TextEvent event = opened(TextEventDeserializers.avro()).deserialize(body(event(CURRENT, "p-1")));
        assertReadAsCurrent(event, "p-1", true);
    }

    @Test
    void singleObjectReadsEveryReleasedVersionAndTheGeneratedClassesOwnEncoding() throws Exception {
        DeserializationSchema<TextEvent> input = opened(TextEventDeserializers.avroSingleObject());

        assertReadAsCurrent(input.deserialize(singleObject(event(CURRENT, "s-1"))), "s-1", true);

        TextEvent generated = TextEvent.newBuilder()
                .setId("s-2")
                .setText("Written by a producer using the generated class.")
                .setSource("tickets")
                .setEventTime(T0)
                .build();
        ByteBuffer buffer = generated.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        assertThat(input.deserialize(bytes)).isEqualTo(generated);
    }

    @Test
    void singleObjectReadsProducersBehindAndAheadWhoseSchemasItKnows() throws Exception {
        DeserializationSchema<TextEvent> input =
                opened(TextEventDeserializers.avroSingleObject(List.of(PREVIOUS, NEXT)));

        assertReadAsCurrent(input.deserialize(singleObject(event(PREVIOUS, "behind-1"))), "behind-1", false);
        assertReadAsCurrent(input.deserialize(singleObject(event(NEXT, "ahead-1"))), "ahead-1", true);
    }

    @Test
    void singleObjectNamesAnUnknownWriterSchemaAndAWrongHeader() throws Exception {
        DeserializationSchema<TextEvent> input = opened(TextEventDeserializers.avroSingleObject());

        assertThatThrownBy(() -> input.deserialize(singleObject(event(NEXT, "ahead-2"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("writer schema fingerprint")
                .hasMessageContaining("TextEvent v1")
                .hasMessageContaining("avro_confluent");
        assertThatThrownBy(() -> input.deserialize(body(event(CURRENT, "plain-1"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("not Avro single-object encoding: expected the header C3 01");
    }

    /** A registry backed by a map, as the issue allows where no real registry can be reached. */
    private record MapRegistry(Map<Integer, String> schemas) implements WriterSchemaRegistry {
        @Override
        public Schema schema(int id) {
            String json = schemas.get(id);
            return json == null ? null : new Schema.Parser().parse(json);
        }
    }

    @Test
    void registryFramingReadsEachPayloadWithItsRegisteredWriterSchema() throws Exception {
        Schema noId = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"TextEvent\",\"namespace\":\"io.heed.schemas\",\"fields\":"
                        + "[{\"name\":\"text\",\"type\":\"string\"}]}");
        DeserializationSchema<TextEvent> input =
                opened(TextEventDeserializers.avroConfluent(new MapRegistry(new HashMap<>(Map.of(
                        1, CURRENT.toString(), 2, PREVIOUS.toString(), 3, NEXT.toString(), 4, noId.toString())))));

        assertReadAsCurrent(input.deserialize(registryFramed(1, body(event(CURRENT, "r-1")))), "r-1", true);
        assertReadAsCurrent(input.deserialize(registryFramed(2, body(event(PREVIOUS, "r-2")))), "r-2", false);
        assertReadAsCurrent(input.deserialize(registryFramed(3, body(event(NEXT, "r-3")))), "r-3", true);

        GenericRecord textOnly = new GenericData.Record(noId);
        textOnly.put("text", "no id at all");
        assertThatThrownBy(() -> input.deserialize(registryFramed(4, body(textOnly))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be read as a TextEvent")
                .hasMessageContaining("id");
        assertThatThrownBy(() -> input.deserialize(registryFramed(99, body(event(CURRENT, "r-99")))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("schema id 99 is not in the schema registry");
        assertThatThrownBy(() -> input.deserialize(singleObject(event(CURRENT, "r-so"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("not Schema Registry framing: expected a zero magic byte")
                .hasMessageContaining("got C3 01");
        // The body is strict, whatever the framing: a valid event with bytes after it is not a TextEvent.
        byte[] framed = registryFramed(1, body(event(CURRENT, "r-t")));
        assertThatThrownBy(() -> input.deserialize(java.util.Arrays.copyOf(framed, framed.length + 2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void registryRestApiIsAskedOncePerSchemaIdWithTheUrlsCredentials() throws Exception {
        List<String> requests = new ArrayList<>();
        List<String> authorizations = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (path.equals("/registry/schemas/ids/7")) {
                status = 200;
                body = "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(NEXT.toString()) + "}";
            } else if (path.equals("/registry/schemas/ids/8")) {
                status = 200;
                body = "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}";
            } else if (path.equals("/registry/schemas/ids/500")) {
                status = 500;
                body = "{\"error_code\":50001,\"message\":\"store unavailable\"}";
            } else {
                status = 404;
                body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://heed:s3cr%40t@127.0.0.1:" + server.getAddress().getPort() + "/registry";
        try {
            DeserializationSchema<TextEvent> input = opened(TextEventDeserializers.avroConfluent(url));
            assertThat(input.toString()).doesNotContain("s3cr").contains("127.0.0.1");

            for (int i = 0; i < 3; i++) {
                assertReadAsCurrent(input.deserialize(registryFramed(7, body(event(NEXT, "h-" + i)))), "h-" + i, true);
            }
            assertThatThrownBy(() -> input.deserialize(registryFramed(41, body(event(CURRENT, "h-41")))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("schema id 41 is not in the schema registry");
            assertThatThrownBy(() -> input.deserialize(registryFramed(8, body(event(CURRENT, "h-8")))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("PROTOBUF schema, not Avro");
            // A registry that fails says nothing about the record: the task must restart, not dead-letter.
            assertThatThrownBy(() -> input.deserialize(registryFramed(500, body(event(CURRENT, "h-500")))))
                    .isInstanceOf(SystemicInputFault.class)
                    .hasMessageContaining("HTTP 500");

            assertThat(requests)
                    .containsExactly(
                            "/registry/schemas/ids/7",
                            "/registry/schemas/ids/41",
                            "/registry/schemas/ids/8",
                            "/registry/schemas/ids/500");
            assertThat(authorizations)
                    .containsOnly("Basic "
                            + Base64.getEncoder().encodeToString("heed:s3cr@t".getBytes(StandardCharsets.UTF_8)));
        } finally {
            server.stop(0);
        }
        // Nothing listens there any more.
        DeserializationSchema<TextEvent> unreachable = opened(TextEventDeserializers.avroConfluent(url));
        assertThatThrownBy(() -> unreachable.deserialize(registryFramed(7, body(event(NEXT, "h-x")))))
                .isInstanceOf(SystemicInputFault.class)
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void aRegistryUrlMustBeHttp() {
        assertThatThrownBy(() -> TextEventDeserializers.avroConfluent("registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> InputFormat.AVRO_CONFLUENT.deserializer(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema registry URL");
    }
}
