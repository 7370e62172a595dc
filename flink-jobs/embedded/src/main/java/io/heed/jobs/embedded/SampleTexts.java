/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heed.schemas.TextEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The demo's sample texts (reviews, tickets, chat, news, posts), shipped in this jar under {@code samples/}. */
public final class SampleTexts {
    private static final String RESOURCE = "samples/texts.jsonl";

    private SampleTexts() {}

    public static List<TextEvent> load() {
        ObjectMapper mapper = new ObjectMapper();
        List<TextEvent> events = new ArrayList<>();
        InputStream in = SampleTexts.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("sample file " + RESOURCE + " is missing from the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            long now = Instant.now().toEpochMilli();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = mapper.readTree(line);
                events.add(TextEvent.newBuilder()
                        .setId(node.get("id").asText())
                        .setText(node.get("text").asText())
                        .setSource(node.get("source").asText())
                        .setEventTime(Instant.ofEpochMilli(now))
                        .setAttributes(Map.of("dataset", "heed-samples"))
                        .build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return events;
    }
}
