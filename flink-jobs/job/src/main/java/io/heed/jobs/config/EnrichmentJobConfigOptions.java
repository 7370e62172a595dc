/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import io.heed.operators.HeedOptions;
import io.heed.operators.InputFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The enrichment job's own options as Flink {@link ConfigOption}s (brokers, topics, input format, checkpoints, Kafka
 * properties), and {@link #ALL}, which adds the operator's and model's options that {@link HeedOptions} defines once
 * for every way of running Heed (this job, the SQL model provider, library users). Together they are the single source
 * of the option keys, types, defaults and descriptions: {@link EnrichmentJobOptions#fromArgs(String[])} parses them,
 * {@link EnrichmentJobOptions#help()} lists them, and docs/CONFIGURATION.md is generated from them. On the command line
 * each key is written {@code --key value}.
 *
 * <p>Every option has a default, so a missing option is never an error and its expected type can be read from the
 * default value.
 */
@PublicEvolving
public final class EnrichmentJobConfigOptions {

    public static final ConfigOption<String> BROKERS = ConfigOptions.key("brokers")
            .stringType()
            .defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers, comma-separated host:port pairs.");

    public static final ConfigOption<String> INPUT_TOPIC = ConfigOptions.key("input-topic")
            .stringType()
            .defaultValue("heed.text")
            .withDescription("Topic the TextEvents are read from.");

    public static final ConfigOption<String> OUTPUT_TOPIC = ConfigOptions.key("output-topic")
            .stringType()
            .defaultValue("heed.enriched")
            .withDescription("Topic the EnrichedText records are written to, exactly once.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOptions.key("dead-letter-topic")
            .stringType()
            .defaultValue("heed.dead-letter")
            .withDescription("Topic for records that cannot be decoded or enriched, with the reason.");

    public static final ConfigOption<InputFormat> FORMAT = ConfigOptions.key("format")
            .enumType(InputFormat.class)
            .defaultValue(InputFormat.AVRO)
            .withDescription("Encoding of the input records: avro (plain Avro binary of the current TextEvent"
                    + " schema), avro_single_object (Avro single-object encoding; every released TextEvent schema is"
                    + " known), avro_confluent (Schema Registry framing; writer schemas from --schema-registry-url),"
                    + " json. Avro is read with the writer's schema, so producers one schema version behind or"
                    + " ahead are read.");

    public static final ConfigOption<String> SCHEMA_REGISTRY_URL = ConfigOptions.key("schema-registry-url")
            .stringType()
            .defaultValue("")
            .withDescription("Schema registry REST URL for --format avro_confluent (Confluent Schema Registry or a"
                    + " compatible API), e.g. http://registry:8081; credentials as user info"
                    + " (https://key:secret@host), sent as HTTP basic auth. A registry that cannot be reached"
                    + " restarts the job from its last checkpoint instead of dead-lettering records.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("group-id")
            .stringType()
            .defaultValue("heed-enrichment")
            .withDescription("Kafka consumer group id; the source commits its offsets there on checkpoints.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism").intType().defaultValue(1).withDescription("Parallelism of the job.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval. Output becomes visible to read_committed consumers"
                    + " only when a checkpoint completes.");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = ConfigOptions.key("starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.EARLIEST)
            .withDescription("Where to start reading when there is no checkpoint to restore;"
                    + " committed falls back to earliest.");

    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop at the latest offsets seen at start-up instead of running forever"
                    + " (for demos and tests). Given without a value it means true.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("transactional-id-prefix")
            .stringType()
            .defaultValue("heed")
            .withDescription("Prefix of the Kafka transactional ids of the exactly-once sinks;"
                    + " must be unique per job writing to the same cluster.");

    /**
     * Pass-through Kafka client properties, given one per argument as {@code --kafka.<property> value}; Flink
     * collects every {@code kafka.}-prefixed key into this map. Values may be secrets and are never printed.
     */
    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES = ConfigOptions.key("kafka")
            .mapType()
            .defaultValue(Map.of())
            .withDescription("Any Kafka client property for the source and the sinks, e.g."
                    + " --kafka.security.protocol SASL_SSL. Values are masked in logs.");

    public static final ConfigOption<String> CONFIG_FILE = ConfigOptions.key("config-file")
            .stringType()
            .defaultValue("")
            .withDescription("A YAML (.yaml/.yml) or properties file with any of these options, keys written"
                    + " without '--' (YAML may nest: kafka: {security.protocol: SASL_SSL}). Options on the"
                    + " command line override the file. Read where the job is submitted.");

    /** Every option, in the order help lists them: the job's own, then the operator's and the model's. */
    public static final List<ConfigOption<?>> ALL = Stream.of(
                    List.of(
                            BROKERS,
                            INPUT_TOPIC,
                            OUTPUT_TOPIC,
                            DEAD_LETTER_TOPIC,
                            FORMAT,
                            SCHEMA_REGISTRY_URL,
                            GROUP_ID,
                            PARALLELISM,
                            CHECKPOINT_INTERVAL,
                            STARTING_OFFSETS,
                            BOUNDED,
                            TRANSACTIONAL_ID_PREFIX,
                            KAFKA_PROPERTIES,
                            CONFIG_FILE),
                    HeedOptions.OPERATOR_OPTIONS,
                    HeedOptions.MODEL_OPTIONS)
            .flatMap(List::stream)
            .collect(Collectors.toUnmodifiableList());

    private EnrichmentJobConfigOptions() {}

    /** Whether the option is a prefix map, written {@code --key.<property> value}. */
    static boolean isPrefixMap(ConfigOption<?> option) {
        return option.defaultValue() instanceof Map;
    }

    /** Whether the option is a flag that may be given without a value. */
    static boolean isFlag(ConfigOption<?> option) {
        return option.defaultValue() instanceof Boolean;
    }
}
