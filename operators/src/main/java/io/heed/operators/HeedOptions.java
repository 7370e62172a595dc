/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The options of Heed's model and operator, defined once as Flink {@link ConfigOption}s (key, type, default,
 * description): the enrichment job's command line and options file, and the SQL model provider's {@code WITH} clause
 * ({@code CREATE MODEL ... WITH ('provider' = 'heed', 'tasks' = 'sentiment,entities')}) all read these. Options of a
 * particular job (brokers, topics, checkpoints) stay with that job.
 */
@PublicEvolving
public final class HeedOptions {
    /** The model's defaults live with the model (plain Java, no Flink); its options take them from there. */
    private static final ModelSpec MODEL_DEFAULTS = ModelSpec.builder().build();

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

    public static final ConfigOption<EncoderVariant> ENCODER = ConfigOptions.key("encoder")
            .enumType(EncoderVariant.class)
            .defaultValue(MODEL_DEFAULTS.encoder())
            .withDescription(
                    "Encoder weights: int8 is faster on CPU, fp32 gives results that do not" + " depend on batching.");

    public static final ConfigOption<EncoderWeights> ENCODER_WEIGHTS = ConfigOptions.key("encoder-weights")
            .enumType(EncoderWeights.class)
            .defaultValue(MODEL_DEFAULTS.weights())
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
            .defaultValues(MODEL_DEFAULTS.tasks().toArray(new Task[0]))
            .withDescription("What to compute, comma-separated; all of them share one encoder pass per text.");

    public static final ConfigOption<Integer> INFERENCE_THREADS = ConfigOptions.key("inference-threads")
            .intType()
            .defaultValue(MODEL_DEFAULTS.intraOpThreads())
            .withDescription("Threads the model runs on in all (its batches' own threads plus ONNX Runtime's"
                    + " intra-op workers). One model is loaded per TaskManager and shared by all its slots, so this is"
                    + " per TaskManager, not per slot. 0: as many as the TaskManager's JVM has processors"
                    + " (availableProcessors, which respects container CPU limits); lower it when other work shares"
                    + " the TaskManager's cores.");

    public static final ConfigOption<Integer> CONCURRENT_BATCHES = ConfigOptions.key("concurrent-batches")
            .intType()
            .defaultValue(MODEL_DEFAULTS.concurrentBatches())
            .withDescription("Batches the TaskManager's model runs at once, each on an inference thread of its own,"
                    + " sharing the inference-threads: a batch is not all matrix products (padding, the heads, copying"
                    + " states out), and a second batch keeps the cores busy meanwhile. 0: two where the model has at"
                    + " least two threads, else one. The batches come from every Heed operator of the TaskManager; with"
                    + " one operator, keep max-in-flight-batches at least this, or the model waits for batches.");

    public static final ConfigOption<Integer> WINDOW_TOKENS = ConfigOptions.key("window-tokens")
            .intType()
            .defaultValue(MODEL_DEFAULTS.windowing().windowTokens())
            .withDescription("Encoder window in tokens (8 to 512). Longer texts are covered by windows overlapping"
                    + " by a quarter, in the same pass.");

    public static final ConfigOption<Integer> SUMMARY_SENTENCES = ConfigOptions.key("summary-sentences")
            .intType()
            .defaultValue(MODEL_DEFAULTS.summarySentences())
            .withDescription("Most sentences in a summary.");

    public static final ConfigOption<Integer> SUMMARY_MAX_WORDS = ConfigOptions.key("summary-max-words")
            .intType()
            .defaultValue(MODEL_DEFAULTS.summaryMaxWords())
            .withDescription("Most words in a summary, 0 for no limit. Sentences are taken in order of relevance"
                    + " while they fit; if none fits, the most relevant one is returned alone. E.g. 80 for"
                    + " headline-style highlights (CNN/DailyMail highlights average about 34 words).");

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

    /** The model options, in the order the docs list them. */
    public static final List<ConfigOption<?>> MODEL_OPTIONS = List.of(
            ENCODER,
            ENCODER_WEIGHTS,
            TASKS,
            WINDOW_TOKENS,
            INFERENCE_THREADS,
            CONCURRENT_BATCHES,
            SUMMARY_SENTENCES,
            SUMMARY_MAX_WORDS,
            SENTIMENT_MODEL,
            ENTITIES_MODEL);

    /** The operator's options (batching, limits, device), in the order the docs list them. */
    public static final List<ConfigOption<?>> OPERATOR_OPTIONS = List.of(
            MAX_BATCH_SIZE,
            MAX_BATCH_TOKENS,
            MAX_IN_FLIGHT_BATCHES,
            MAX_BATCH_WAIT,
            BATCH_TIMEOUT,
            MAX_TEXT_BYTES,
            MAX_RECORD_BYTES,
            DEVICE);

    private HeedOptions() {}

    /**
     * The model these options describe; unset options take their defaults.
     *
     * @throws IllegalArgumentException naming the first option whose value does not parse or is out of range
     */
    public static ModelSpec modelSpec(ReadableConfig config) {
        ModelSpec.Builder spec = ModelSpec.builder();
        apply(config, ENCODER, spec::encoder);
        apply(config, ENCODER_WEIGHTS, spec::weights);
        apply(config, TASKS, tasks -> spec.tasks(tasks.isEmpty() ? EnumSet.noneOf(Task.class) : EnumSet.copyOf(tasks)));
        apply(config, WINDOW_TOKENS, spec::windowTokens);
        apply(config, INFERENCE_THREADS, spec::intraOpThreads);
        apply(config, CONCURRENT_BATCHES, spec::concurrentBatches);
        apply(config, SUMMARY_SENTENCES, spec::summarySentences);
        apply(config, SUMMARY_MAX_WORDS, spec::summaryMaxWords);
        apply(config, SENTIMENT_MODEL, dir -> spec.sentimentModelDir(blankToNull(dir)));
        apply(config, ENTITIES_MODEL, dir -> spec.entitiesModelDir(blankToNull(dir)));
        return spec.build();
    }

    /**
     * The operator's settings these options describe (the model, batching, limits, device), as a builder, so the
     * caller adds what is not an option here (the input format); unset options take their defaults.
     *
     * @throws IllegalArgumentException naming the first option whose value does not parse or is out of range
     */
    public static EnrichmentSettings.Builder settings(ReadableConfig config) {
        EnrichmentSettings.Builder settings = EnrichmentSettings.builder().model(modelSpec(config));
        apply(config, MAX_BATCH_SIZE, settings::maxBatchSize);
        apply(config, MAX_BATCH_TOKENS, settings::maxBatchTokens);
        apply(config, MAX_IN_FLIGHT_BATCHES, settings::maxInFlightBatches);
        apply(config, MAX_BATCH_WAIT, settings::maxBatchWait);
        apply(config, BATCH_TIMEOUT, settings::batchTimeout);
        apply(config, MAX_TEXT_BYTES, size -> {
            if (size.getBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be at most " + Integer.MAX_VALUE + " bytes");
            }
            settings.maxTextBytes((int) size.getBytes());
        });
        apply(config, MAX_RECORD_BYTES, settings::maxRecordBytes);
        apply(config, DEVICE, settings::device);
        return settings;
    }

    /**
     * Reads one option and hands it to a builder method; the builder holds the rule (one place per rule), and its
     * refusal is reported with the option's key and value, as the user wrote it.
     */
    private static <T> void apply(ReadableConfig config, ConfigOption<T> option, Consumer<T> setter) {
        T value = OptionValues.read(config, option);
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            String written = config.toMap().get(option.key());
            throw OptionValues.invalid(option, written != null ? written : value, e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
