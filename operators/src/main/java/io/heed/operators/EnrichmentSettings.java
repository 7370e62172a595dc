/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelSpec;
import io.heed.schemas.TextEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;

/**
 * How the enrichment operator decodes, validates, batches and which model it runs. Immutable and serializable
 * (Flink ships it with the job graph); made by {@link #builder()}, or from options by {@link
 * HeedOptions#settings(org.apache.flink.configuration.ReadableConfig)}.
 */
@PublicEvolving
public final class EnrichmentSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelSpec model;
    private final DeserializationSchema<TextEvent> input;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int maxInFlightBatches;
    private final Duration maxBatchWait;
    private final Duration batchTimeout;
    private final int maxTextBytes;
    private final int maxRecordBytes;
    private final DevicePreference device;

    private EnrichmentSettings(Builder builder) {
        this.model = builder.model;
        this.input = builder.input;
        this.maxBatchSize = builder.maxBatchSize;
        this.maxBatchTokens = builder.maxBatchTokens;
        this.maxInFlightBatches = builder.maxInFlightBatches;
        this.maxBatchWait = builder.maxBatchWait;
        this.batchTimeout = builder.batchTimeout;
        this.maxTextBytes = builder.maxTextBytes;
        this.maxRecordBytes = builder.maxRecordBytes;
        this.device = builder.device;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ModelSpec model() {
        return model;
    }

    /** How payloads become TextEvents: one of {@link TextEventDeserializers}, or the user's own. */
    public DeserializationSchema<TextEvent> input() {
        return input;
    }

    /** Most records sent to the model in one call. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * Most padded tokens (records x longest record) in one model call. Bounds the work and memory of one call, and
     * keeps long texts in small batches while short ones fill up to {@link #maxBatchSize()}.
     */
    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    /**
     * Most batches of one operator instance queued or running in the model at once. Two lets the task prepare the
     * next batch while one runs; more only adds buffered records (and memory) without more speed.
     */
    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    /** Longest a record waits for its batch to fill before the batch runs anyway. */
    public Duration maxBatchWait() {
        return maxBatchWait;
    }

    /**
     * Longest a batch may take in the model, queueing on the shared inference thread included. A batch past it is a
     * fault of the model (a hung engine or device), not of its texts: the task fails and restarts from its last
     * checkpoint, and nothing is dead-lettered.
     */
    public Duration batchTimeout() {
        return batchTimeout;
    }

    /** Texts longer than this many UTF-8 bytes are dead-lettered as TEXT_TOO_LARGE. */
    public int maxTextBytes() {
        return maxTextBytes;
    }

    /**
     * Largest record the operator emits, in Avro bytes. Kafka refuses larger messages by default (1 MiB), and a sink
     * that cannot write a record fails the job and replays it forever; an enriched record over this limit (a long
     * text with many entities can be twice its text) is dead-lettered as RECORD_TOO_LARGE instead, and dead letters
     * keep at most half of this many bytes of the original payload (the rest stays in the input topic, at the
     * topic/partition/offset the dead letter names).
     */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * Where the encoder runs; with {@link DevicePreference#AUTO} each instance takes a GPU that Flink's external
     * resource framework assigned to its TaskManager, if any.
     */
    public DevicePreference device() {
        return device;
    }

    @Override
    public String toString() {
        return "EnrichmentSettings{model=" + model + ", input=" + input + ", maxBatchSize=" + maxBatchSize
                + ", maxBatchTokens=" + maxBatchTokens + ", maxInFlightBatches=" + maxInFlightBatches
                + ", maxBatchWait=" + maxBatchWait + ", batchTimeout=" + batchTimeout + ", maxTextBytes=" + maxTextBytes
                + ", maxRecordBytes="
                + maxRecordBytes + ", device=" + device + "}";
    }

    public static final class Builder {
        private ModelSpec model = ModelSpec.builder().build();
        private DeserializationSchema<TextEvent> input = TextEventDeserializers.avro();
        // The defaults are the options' (HeedOptions), so the job, SQL and library users start from the same.
        private int maxBatchSize = HeedOptions.MAX_BATCH_SIZE.defaultValue();
        private int maxBatchTokens = HeedOptions.MAX_BATCH_TOKENS.defaultValue();
        private int maxInFlightBatches = HeedOptions.MAX_IN_FLIGHT_BATCHES.defaultValue();
        private Duration maxBatchWait = HeedOptions.MAX_BATCH_WAIT.defaultValue();
        private Duration batchTimeout = HeedOptions.BATCH_TIMEOUT.defaultValue();
        private int maxTextBytes =
                (int) HeedOptions.MAX_TEXT_BYTES.defaultValue().getBytes();
        private int maxRecordBytes = HeedOptions.MAX_RECORD_BYTES.defaultValue();
        private DevicePreference device = HeedOptions.DEVICE.defaultValue();

        private Builder() {}

        public Builder model(ModelSpec model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * One of the formats that need no further settings; for {@link InputFormat#AVRO_CONFLUENT} use {@link
         * #input(DeserializationSchema)} with {@link TextEventDeserializers#avroConfluent(String)}.
         */
        public Builder inputFormat(InputFormat inputFormat) {
            return input(inputFormat.deserializer(null));
        }

        /**
         * How payloads become TextEvents: any Flink {@code DeserializationSchema}, called once per record (its
         * collector variant is not used: one payload is one record). An exception or a null result makes the record
         * an UNDECODABLE dead letter, except a {@link SystemicInputFault}, which fails the task.
         */
        public Builder input(DeserializationSchema<TextEvent> input) {
            this.input = Objects.requireNonNull(input, "input");
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder maxBatchTokens(int maxBatchTokens) {
            if (maxBatchTokens < 1) {
                throw new IllegalArgumentException("maxBatchTokens must be >= 1, got " + maxBatchTokens);
            }
            this.maxBatchTokens = maxBatchTokens;
            return this;
        }

        public Builder maxInFlightBatches(int maxInFlightBatches) {
            if (maxInFlightBatches < 1) {
                throw new IllegalArgumentException("maxInFlightBatches must be >= 1, got " + maxInFlightBatches);
            }
            this.maxInFlightBatches = maxInFlightBatches;
            return this;
        }

        public Builder maxBatchWait(Duration maxBatchWait) {
            if (maxBatchWait.isNegative()) {
                throw new IllegalArgumentException("maxBatchWait must not be negative, got " + maxBatchWait);
            }
            this.maxBatchWait = maxBatchWait;
            return this;
        }

        public Builder batchTimeout(Duration batchTimeout) {
            if (batchTimeout.isZero() || batchTimeout.isNegative()) {
                throw new IllegalArgumentException("batchTimeout must be positive, got " + batchTimeout);
            }
            this.batchTimeout = batchTimeout;
            return this;
        }

        public Builder maxTextBytes(int maxTextBytes) {
            if (maxTextBytes < 1) {
                throw new IllegalArgumentException("maxTextBytes must be >= 1, got " + maxTextBytes);
            }
            this.maxTextBytes = maxTextBytes;
            return this;
        }

        public Builder maxRecordBytes(int maxRecordBytes) {
            if (maxRecordBytes < 1024) {
                throw new IllegalArgumentException("maxRecordBytes must be >= 1024, got " + maxRecordBytes);
            }
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        public Builder device(DevicePreference device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        public EnrichmentSettings build() {
            return new EnrichmentSettings(this);
        }
    }
}
