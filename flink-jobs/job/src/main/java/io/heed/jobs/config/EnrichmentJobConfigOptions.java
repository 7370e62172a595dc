/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.operators.DevicePreference;
import io.heed.operators.InputFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * The enrichment job's options as Flink {@link ConfigOption}s. They are the single source of the option keys, types,
 * defaults and descriptions: {@link EnrichmentJobOptions#fromArgs(String[])} parses them and
 * {@link EnrichmentJobOptions#help()} lists them. On the command line each key is written {@code --key value}.
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

    public static final ConfigOption<Integer> MAX_BATCH_SIZE = ConfigOptions.key("max-batch-size")
            .intType()
            .defaultValue(64)
            .withDescription("Most texts the encoder runs in one pass.");

    public static final ConfigOption<Integer> MAX_BATCH_TOKENS = ConfigOptions.key("max-batch-tokens")
            .intType()
            .defaultValue(2048)
            .withDescription("Most padded tokens (texts x longest text) in one pass. Texts are batched with others of"
                    + " similar length, so short texts fill batches of max-batch-size while long ones run in small"
                    + " batches.");

    public static final ConfigOption<Integer> MAX_IN_FLIGHT_BATCHES = ConfigOptions.key("max-in-flight-batches")
            .intType()
            .defaultValue(2)
            .withDescription("Most batches of one operator instance queued or running in the model; past it the"
                    + " task waits, which back-pressures the source.");

    public static final ConfigOption<Duration> MAX_BATCH_WAIT = ConfigOptions.key("max-batch-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(50))
            .withDescription("Longest a text waits for its batch to fill before the batch runs anyway.");

    public static final ConfigOption<Duration> BATCH_TIMEOUT = ConfigOptions.key("batch-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("Longest a batch may take in the model, queueing included. A batch past it means a"
                    + " hung engine or device: the task fails and restarts from its last checkpoint, and nothing is"
                    + " dead-lettered.");

    public static final ConfigOption<MemorySize> MAX_TEXT_BYTES = ConfigOptions.key("max-text-bytes")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1))
            .withDescription("Largest text accepted, in UTF-8 bytes (a number, or e.g. '512 kb');"
                    + " longer texts go to the dead-letter topic.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key("max-record-bytes")
            .intType()
            .defaultValue(1_000_000)
            .withDescription("Largest output record in bytes. An enriched record over it goes to the dead-letter topic"
                    + " as RECORD_TOO_LARGE, and dead letters keep at most half of it of the original payload, so"
                    + " no record exceeds Kafka's default 1 MiB message limit. Raise it together with the broker's"
                    + " message.max.bytes.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism").intType().defaultValue(1).withDescription("Parallelism of the job.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval. Output becomes visible to read_committed consumers"
                    + " only when a checkpoint completes.");

    public static final ConfigOption<EncoderVariant> ENCODER = ConfigOptions.key("encoder")
            .enumType(EncoderVariant.class)
            .defaultValue(EncoderVariant.INT8)
            .withDescription(
                    "Encoder weights: int8 is faster on CPU, fp32 gives results that do not" + " depend on batching.");

    public static final ConfigOption<EncoderWeights> ENCODER_WEIGHTS = ConfigOptions.key("encoder-weights")
            .enumType(EncoderWeights.class)
            .defaultValue(EncoderWeights.DEFAULT)
            .withDescription("Encoder weights and the heads trained with them: tuned (default) is Heed's multi-task"
                    + " fine-tune of all-MiniLM-L6-v2 (three-class sentiment over reviews, tweets, finance and"
                    + " movies; entities over news, social media and Wikipedia; summaries kept), frozen is"
                    + " all-MiniLM-L6-v2 as published with its binary sentiment and CoNLL-only entity heads,"
                    + " bge-small is bge-small-en-v1.5 fine-tuned the same way: more accurate on every measured set,"
                    + " about half the records/s, and not in the job jar (its jar goes into Flink's lib/)."
                    + " See docs/QUALITY.md and docs/ENCODERS.md.");

    public static final ConfigOption<List<Task>> TASKS = ConfigOptions.key("tasks")
            .enumType(Task.class)
            .asList()
            .defaultValues(Task.values())
            .withDescription("What to compute, comma-separated; all of them share one encoder pass per text.");

    public static final ConfigOption<Integer> INFERENCE_THREADS = ConfigOptions.key("inference-threads")
            .intType()
            .defaultValue(0)
            .withDescription("Threads of the model's forward pass (ONNX Runtime intra-op threads) and of its task"
                    + " heads. One model is loaded per TaskManager and shared by all its slots, so this is per"
                    + " TaskManager, not per slot. 0: as many as the TaskManager's JVM has processors"
                    + " (availableProcessors, which respects container CPU limits); lower it when other work shares"
                    + " the TaskManager's cores.");

    public static final ConfigOption<Integer> WINDOW_TOKENS = ConfigOptions.key("window-tokens")
            .intType()
            .defaultValue(256)
            .withDescription("Encoder window in tokens (8 to 512). Longer texts are covered by windows overlapping"
                    + " by a quarter, in the same pass.");

    public static final ConfigOption<Integer> SUMMARY_SENTENCES = ConfigOptions.key("summary-sentences")
            .intType()
            .defaultValue(3)
            .withDescription("Most sentences in a summary.");

    public static final ConfigOption<Integer> SUMMARY_MAX_WORDS = ConfigOptions.key("summary-max-words")
            .intType()
            .defaultValue(0)
            .withDescription("Most words in a summary, 0 for no limit. Sentences are taken in order of relevance"
                    + " while they fit; if none fits, the most relevant one is returned alone. E.g. 80 for"
                    + " headline-style highlights (CNN/DailyMail highlights average about 34 words).");

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

    public static final ConfigOption<String> SENTIMENT_MODEL = ConfigOptions.key("sentiment-model")
            .stringType()
            .defaultValue("")
            .withDescription(
                    "A Hugging Face sequence-classification export (directory with config.json, tokenizer.json,"
                            + " model.onnx) to compute sentiment instead of the bundled head; the path must exist on every"
                            + " TaskManager. See docs/BYO_MODELS.md.");

    public static final ConfigOption<String> ENTITIES_MODEL = ConfigOptions.key("entities-model")
            .stringType()
            .defaultValue("")
            .withDescription("A Hugging Face token-classification export (same layout) to find entities instead of"
                    + " the bundled head; the path must exist on every TaskManager.");

    public static final ConfigOption<DevicePreference> DEVICE = ConfigOptions.key("device")
            .enumType(DevicePreference.class)
            .defaultValue(DevicePreference.AUTO)
            .withDescription("Where the encoder runs. auto: a GPU that Flink's external resource framework assigned"
                    + " to the TaskManager (external-resources: gpu), else the CPU; a GPU that ONNX Runtime cannot"
                    + " use falls back to the CPU with a warning. gpu: fail without a usable GPU. cpu: never a GPU."
                    + " GPUs need the job jar built with -Pgpu.");

    public static final ConfigOption<String> CONFIG_FILE = ConfigOptions.key("config-file")
            .stringType()
            .defaultValue("")
            .withDescription("A YAML (.yaml/.yml) or properties file with any of these options, keys written"
                    + " without '--' (YAML may nest: kafka: {security.protocol: SASL_SSL}). Options on the"
                    + " command line override the file. Read where the job is submitted.");

    /** Every option, in the order help lists them. */
    public static final List<ConfigOption<?>> ALL = List.of(
            BROKERS,
            INPUT_TOPIC,
            OUTPUT_TOPIC,
            DEAD_LETTER_TOPIC,
            FORMAT,
            SCHEMA_REGISTRY_URL,
            GROUP_ID,
            MAX_BATCH_SIZE,
            MAX_BATCH_TOKENS,
            MAX_IN_FLIGHT_BATCHES,
            MAX_BATCH_WAIT,
            BATCH_TIMEOUT,
            MAX_TEXT_BYTES,
            MAX_RECORD_BYTES,
            PARALLELISM,
            CHECKPOINT_INTERVAL,
            ENCODER,
            ENCODER_WEIGHTS,
            TASKS,
            WINDOW_TOKENS,
            INFERENCE_THREADS,
            SUMMARY_SENTENCES,
            SUMMARY_MAX_WORDS,
            SENTIMENT_MODEL,
            ENTITIES_MODEL,
            DEVICE,
            STARTING_OFFSETS,
            BOUNDED,
            TRANSACTIONAL_ID_PREFIX,
            KAFKA_PROPERTIES,
            CONFIG_FILE);

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
