/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelInfo;
import io.heed.models.TextAnalysis;
import io.heed.models.entities.Entity;
import io.heed.models.sentiment.Sentiment;
import io.heed.models.summary.Summary;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.EntitySpan;
import io.heed.schemas.Provenance;
import io.heed.schemas.SentimentResult;
import io.heed.schemas.SummaryResult;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** Maps model results and rejections onto the Avro output records: the one place model types meet schemas. */
final class OutputRecords {
    private final Provenance provenance;

    OutputRecords(ModelInfo info) {
        this.provenance = Provenance.newBuilder()
                .setModelId(info.modelId())
                .setWeightsSha256(info.weightsSha256())
                .setEngine(info.engine())
                .setDevice(info.device())
                .build();
    }

    EnrichedText enriched(TextEvent event, TextAnalysis analysis, float inferenceMs, Instant now) {
        return EnrichedText.newBuilder()
                .setId(event.getId())
                .setText(event.getText())
                .setSource(event.getSource())
                .setLanguage(event.getLanguage())
                .setEventTime(event.getEventTime())
                .setAttributes(event.getAttributes())
                .setSentiment(analysis.sentiment().map(OutputRecords::sentiment).orElse(null))
                .setEntities(
                        analysis.entities().stream().map(OutputRecords::entity).toList())
                .setSummary(analysis.summary().map(OutputRecords::summary).orElse(null))
                .setProvenance(provenance)
                .setInferenceMs(inferenceMs)
                .setEnrichedAt(now)
                .build();
    }

    private static SentimentResult sentiment(Sentiment sentiment) {
        Map<String, Float> probabilities = new LinkedHashMap<>(sentiment.probabilities());
        return SentimentResult.newBuilder()
                .setLabel(sentiment.label())
                .setScore(sentiment.score())
                .setProbabilities(probabilities)
                .build();
    }

    private static EntitySpan entity(Entity entity) {
        return EntitySpan.newBuilder()
                .setText(entity.text())
                .setType(entity.type())
                .setStart(entity.start())
                .setEnd(entity.end())
                .setScore(entity.score())
                .build();
    }

    private static SummaryResult summary(Summary summary) {
        return SummaryResult.newBuilder()
                .setText(summary.text())
                .setSentenceIndices(List.copyOf(summary.sentenceIndices()))
                .build();
    }

    /** Most characters of an id a dead letter keeps (it is also the dead letter's Kafka key). */
    static final int MAX_DEAD_LETTER_ID_CHARS = 1024;
    /** Most characters of a dead letter's message (an exception's text can be as long as the input). */
    static final int MAX_DEAD_LETTER_MESSAGE_CHARS = 4096;

    /**
     * A rejection when the Kafka message of the record would be larger than {@code maxRecordBytes}: its Avro bytes
     * plus its key (the id, in UTF-8). Measured exactly only when a cheap upper bound (UTF-8 takes at most 3 bytes per
     * UTF-16 char) says it might be over, so normal records cost nothing.
     */
    static Optional<Rejection> oversized(EnrichedText record, int maxRecordBytes) {
        if (sizeBound(record) <= maxRecordBytes) {
            return Optional.empty();
        }
        long key = utf8Length(record.getId());
        long size = serializedSize(record) + key;
        if (size <= maxRecordBytes) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(
                io.heed.schemas.DeadLetterReason.RECORD_TOO_LARGE,
                "the enriched record and its key (the id, " + key + " bytes) would be " + size + " bytes ("
                        + record.getEntities().size() + " entities), over the limit of " + maxRecordBytes
                        + " bytes; raise the record limit and Kafka's message size limits together",
                Rejection.OUTPUT));
    }

    /** An upper bound of the message's bytes: the record, and the id once more as its key. */
    private static long sizeBound(EnrichedText record) {
        long chars = record.getText().length() + 2L * record.getId().length() + 3L * 1024; // + fixed fields
        chars += record.getSource() == null ? 0 : record.getSource().length();
        chars += record.getLanguage() == null ? 0 : record.getLanguage().length();
        for (EntitySpan entity : record.getEntities()) {
            chars += entity.getText().length() + 24;
        }
        if (record.getSummary() != null) {
            chars += record.getSummary().getText().length()
                    + 5L * record.getSummary().getSentenceIndices().size();
        }
        for (Map.Entry<String, String> attribute : record.getAttributes().entrySet()) {
            chars += attribute.getKey().length() + attribute.getValue().length() + 10;
        }
        return 3 * chars;
    }

    private static long utf8Length(CharSequence text) {
        return text == null ? 0 : text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static long serializedSize(EnrichedText record) {
        CountingStream counter = new CountingStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
        try {
            new SpecificDatumWriter<>(EnrichedText.class).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /**
     * The dead letter of a record, keeping at most {@code maxPayloadBytes} of its payload, the first
     * {@link #MAX_DEAD_LETTER_ID_CHARS} characters of its id (also its Kafka key) and of
     * {@link #MAX_DEAD_LETTER_MESSAGE_CHARS} of the message, so that the dead letter itself always fits in a Kafka
     * message; the message says what was cut, and the original stays in the input topic.
     */
    static DeadLetter deadLetter(RawRecord raw, String id, Rejection rejection, Instant now, int maxPayloadBytes) {
        byte[] payload = raw.payload;
        String message = rejection.message();
        if (message != null && message.length() > MAX_DEAD_LETTER_MESSAGE_CHARS) {
            message = message.substring(0, MAX_DEAD_LETTER_MESSAGE_CHARS) + "… [message cut]";
        }
        String where = "the whole record is in " + raw.topic + "/" + raw.partition + " at offset " + raw.offset;
        if (id != null && id.length() > MAX_DEAD_LETTER_ID_CHARS) {
            message += " [id cut to the first " + MAX_DEAD_LETTER_ID_CHARS + " of " + id.length() + " chars; " + where
                    + "]";
            id = id.substring(0, MAX_DEAD_LETTER_ID_CHARS);
        }
        if (payload != null && payload.length > maxPayloadBytes) {
            message += " [payload cut to the first " + maxPayloadBytes + " of " + payload.length + " bytes; " + where
                    + "]";
            payload = java.util.Arrays.copyOf(payload, maxPayloadBytes);
        }
        return DeadLetter.newBuilder()
                .setId(id)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setTopic(raw.topic)
                .setPartition(raw.partition)
                .setOffset(raw.offset)
                .setReason(rejection.reason())
                .setMessage(message)
                .setStage(rejection.stage())
                .setTime(now)
                .build();
    }
}
