/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.ModelInfo;
import io.heed.models.TextAnalysis;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka message the operator produces fits the record limit, counting its key (the id): an input with a huge
 * id, source or attributes is dead-lettered, and the dead letter itself is cut to fit.
 */
class OutputSizeTest {
    private static final int LIMIT = 1_000_000;
    private static final OutputRecords OUTPUT = new OutputRecords(new ModelInfo("m", "sha", "engine", "cpu"));
    private static final TextAnalysis NOTHING =
            new TextAnalysis(4, false, Optional.empty(), List.of(), Optional.empty());

    private static EnrichedText enriched(TextEvent event) {
        return OUTPUT.enriched(event, NOTHING, 1f, Instant.now());
    }

    private static long messageBytes(SpecificRecord record, String key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<SpecificRecord> writer =
                new SpecificDatumWriter<>((Class<SpecificRecord>) record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        return out.size() + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aHugeIdCountsTwiceOnceInTheRecordAndOnceAsItsKey() throws IOException {
        TextEvent event = TestEvents.event("x".repeat(600_000), "A short text.");
        EnrichedText record = enriched(event);
        assertThat(messageBytes(record, record.getId())).isGreaterThan(LIMIT);

        Optional<Rejection> rejection = OutputRecords.oversized(record, LIMIT);
        assertThat(rejection).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.RECORD_TOO_LARGE);
            assertThat(r.message()).contains("its key (the id, 600000 bytes)");
        });
    }

    @Test
    void aHugeSourceOrManyHugeAttributesAreCaughtToo() {
        TextEvent bigSource = TestEvents.event("id", "Text.");
        bigSource.setSource("s".repeat(1_100_000));
        assertThat(OutputRecords.oversized(enriched(bigSource), LIMIT)).isPresent();

        TextEvent manyAttributes = TestEvents.event("id", "Text.");
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            attributes.put("key-" + i, "v".repeat(600));
        }
        manyAttributes.setAttributes(attributes);
        assertThat(OutputRecords.oversized(enriched(manyAttributes), LIMIT)).isPresent();

        assertThat(OutputRecords.oversized(enriched(TestEvents.event("id", "Text.")), LIMIT))
                .isEmpty();
    }

    @Test
    void deadLettersCutTheirIdMessageAndPayloadToFitWithTheirKey() throws IOException {
        String hugeId = "i".repeat(900_000);
        byte[] payload = new byte[2_000_000];
        RawRecord raw = RawRecord.of(payload);
        raw.topic = "in";
        raw.partition = 3;
        raw.offset = 42;
        Rejection rejection =
                new Rejection(DeadLetterReason.INFERENCE_FAILED, "m".repeat(500_000), Rejection.INFERENCE);

        DeadLetter deadLetter = OutputRecords.deadLetter(raw, hugeId, rejection, Instant.now(), LIMIT / 2);

        assertThat(messageBytes(deadLetter, deadLetter.getId())).isLessThanOrEqualTo(LIMIT);
        assertThat(deadLetter.getId()).hasSize(OutputRecords.MAX_DEAD_LETTER_ID_CHARS);
        assertThat(deadLetter.getMessage())
                .contains("[message cut]", "[id cut to the first 1024 of 900000 chars", "in/3 at offset 42")
                .contains("[payload cut to the first 500000 of 2000000 bytes");
        assertThat(deadLetter.getPayload().remaining()).isEqualTo(LIMIT / 2);
    }
}
