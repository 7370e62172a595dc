/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes JSON TextEvents: {@code {"id": "...", "text": "...", "source": "...", "language": "en",
 * "event_time": 1700000000000 | "2026-01-01T00:00:00Z", "attributes": {"k": "v"}}}. Only {@code id} is required by
 * the decoder; a missing or null {@code text} decodes and is then dead-lettered by validation with its own reason.
 *
 * <p>Strict about what a payload is: exactly one JSON value, with no key twice. Content after the object (two events
 * concatenated into one Kafka record, or garbage) would otherwise be ignored and the second event lost silently; a
 * duplicated key ({@code "text"} twice) would be resolved one way here and perhaps another way by other consumers of
 * the same topic.
 */
final class JsonTextEventDeserializer extends TextEventDeserializer {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @Override
    public TextEvent deserialize(byte[] payload) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IOException("not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("JSON TextEvent must be an object");
        }
        String id = optionalString(root, "id");
        String source = optionalString(root, "source");
        // The schema's id is required: an absent id decodes as "" and validation reports MISSING_ID.
        return TextEvent.newBuilder()
                .setId(id == null ? "" : id)
                .setText(optionalString(root, "text"))
                .setLanguage(optionalString(root, "language"))
                .setEventTime(eventTime(root.get("event_time")))
                .setAttributes(attributes(root.get("attributes")))
                .setSource(source == null ? "" : source)
                .build();
    }

    private static String optionalString(JsonNode root, String field) throws IOException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IOException("field '" + field + "' must be a string, got " + node.getNodeType());
        }
        return node.textValue();
    }

    private static Instant eventTime(JsonNode node) throws IOException {
        if (node == null || node.isNull()) {
            return Instant.EPOCH;
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (DateTimeParseException e) {
                throw new IOException("field 'event_time' is not an ISO-8601 instant: " + node.textValue());
            }
        }
        throw new IOException("field 'event_time' must be epoch millis or an ISO-8601 string");
    }

    private static Map<String, String> attributes(JsonNode node) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        if (!node.isObject()) {
            throw new IOException("field 'attributes' must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new IOException("attribute '" + entry.getKey() + "' must be a string");
            }
            attributes.put(entry.getKey(), entry.getValue().textValue());
        }
        return attributes;
    }

    @Override
    public String toString() {
        return "json";
    }
}
