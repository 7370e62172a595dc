/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import static io.heed.jobs.config.EnrichmentJobConfigOptions.ALL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.BATCH_TIMEOUT;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.BOUNDED;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.BROKERS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.CHECKPOINT_INTERVAL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.CONFIG_FILE;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.DEAD_LETTER_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.DEVICE;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.ENCODER;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.ENCODER_WEIGHTS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.ENTITIES_MODEL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.FORMAT;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.GROUP_ID;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.INFERENCE_THREADS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.INPUT_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.KAFKA_PROPERTIES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_BATCH_SIZE;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_BATCH_TOKENS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_BATCH_WAIT;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_IN_FLIGHT_BATCHES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_RECORD_BYTES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.MAX_TEXT_BYTES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.OUTPUT_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.PARALLELISM;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.SCHEMA_REGISTRY_URL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.SENTIMENT_MODEL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.STARTING_OFFSETS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.SUMMARY_MAX_WORDS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.SUMMARY_SENTENCES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.TASKS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.TRANSACTIONAL_ID_PREFIX;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.WINDOW_TOKENS;

import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.operators.DevicePreference;
import io.heed.operators.InputFormat;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * The validated options of the enrichment job: what to read and write, how to batch, which encoder to run.
 * Immutable; built with {@link #builder()} or parsed with {@link #fromArgs(String[])}. The keys, types, defaults and
 * descriptions live in {@link EnrichmentJobConfigOptions}.
 *
 * <p>Pass-through Kafka client properties may hold credentials ({@code sasl.jaas.config}), so {@link #toString()}
 * shows their names only.
 */
@PublicEvolving
public final class EnrichmentJobOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String USAGE = "Usage: flink run heed-flink-jobs-job.jar [--option value]...";
    private static final String MASK = "****";
    /** Kafka's own rule for topic names (see org.apache.kafka.common.internals.Topic). */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** Flink rejects checkpoint intervals below 10 ms; failing here names the option instead. */
    private static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(10);
    /** Kafka settings that options own: given twice, the two could disagree. */
    private static final Map<String, ConfigOption<?>> OWNED_KAFKA_PROPERTIES = Map.of(
            "bootstrap.servers", BROKERS,
            "group.id", GROUP_ID,
            "transactional.id", TRANSACTIONAL_ID_PREFIX);

    private final String brokers;
    private final String inputTopic;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final InputFormat format;
    private final String schemaRegistryUrl;
    private final String groupId;
    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final int maxInFlightBatches;
    private final Duration maxBatchWait;
    private final Duration batchTimeout;
    private final int maxTextBytes;
    private final int maxRecordBytes;
    private final int parallelism;
    private final Duration checkpointInterval;
    private final EncoderVariant encoder;
    private final EncoderWeights encoderWeights;
    private final DevicePreference device;
    private final String sentimentModel;
    private final String entitiesModel;
    private final List<Task> tasks;
    private final int windowTokens;
    private final int inferenceThreads;
    private final int summarySentences;
    private final int summaryMaxWords;
    private final StartingOffsets startingOffsets;
    private final boolean bounded;
    private final String transactionalIdPrefix;
    private final Map<String, String> kafkaProperties;
    private final boolean helpRequested;

    private EnrichmentJobOptions(Builder b, boolean helpRequested) {
        this.brokers = b.brokers;
        this.inputTopic = b.inputTopic;
        this.outputTopic = b.outputTopic;
        this.deadLetterTopic = b.deadLetterTopic;
        this.format = b.format;
        this.schemaRegistryUrl = b.schemaRegistryUrl;
        this.groupId = b.groupId;
        this.maxBatchSize = b.maxBatchSize;
        this.maxBatchTokens = b.maxBatchTokens;
        this.maxInFlightBatches = b.maxInFlightBatches;
        this.maxBatchWait = b.maxBatchWait;
        this.batchTimeout = b.batchTimeout;
        this.maxTextBytes = b.maxTextBytes;
        this.maxRecordBytes = b.maxRecordBytes;
        this.parallelism = b.parallelism;
        this.checkpointInterval = b.checkpointInterval;
        this.encoder = b.encoder;
        this.encoderWeights = b.encoderWeights;
        this.device = b.device;
        this.sentimentModel = b.sentimentModel;
        this.entitiesModel = b.entitiesModel;
        this.tasks = List.copyOf(new java.util.LinkedHashSet<>(b.tasks));
        this.windowTokens = b.windowTokens;
        this.inferenceThreads = b.inferenceThreads;
        this.summarySentences = b.summarySentences;
        this.summaryMaxWords = b.summaryMaxWords;
        this.startingOffsets = b.startingOffsets;
        this.bounded = b.bounded;
        this.transactionalIdPrefix = b.transactionalIdPrefix;
        this.kafkaProperties = Collections.unmodifiableMap(new TreeMap<>(b.kafkaProperties));
        this.helpRequested = helpRequested;
        validate();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Parses {@code --key value} arguments (also {@code --key=value}; a flag alone means true). With
     * {@code --config-file FILE}, options missing from the command line are read from that YAML or properties file.
     * When {@code --help} or {@code -h} is present, returns the defaults with {@link #helpRequested()} set and
     * ignores the rest.
     *
     * @throws IllegalArgumentException naming the option, for an unknown option, a missing or malformed value, or a
     *     value that fails validation
     */
    public static EnrichmentJobOptions fromArgs(String[] args) {
        Objects.requireNonNull(args, "args");
        if (CommandLineArgs.helpRequested(args)) {
            return new EnrichmentJobOptions(builder(), true);
        }
        Map<String, String> given = CommandLineArgs.parse(args, ALL);
        String file = given.getOrDefault(CONFIG_FILE.key(), "");
        Map<String, String> values = new LinkedHashMap<>();
        if (!file.isEmpty()) {
            values.putAll(CommandLineArgs.checkFileValues(OptionsFile.read(Path.of(file)), ALL, file));
            if (values.containsKey(CONFIG_FILE.key())) {
                throw new IllegalArgumentException(
                        "Options file " + file + " sets " + CONFIG_FILE.key() + ": files cannot include other files");
            }
        }
        values.putAll(given); // the command line overrides the file
        values.remove(CONFIG_FILE.key());
        return fromConfiguration(Configuration.fromMap(values));
    }

    /** Reads the options from a Flink configuration (keys as in {@link EnrichmentJobConfigOptions}). */
    public static EnrichmentJobOptions fromConfiguration(Configuration configuration) {
        MemorySize maxText = read(configuration, MAX_TEXT_BYTES);
        if (maxText.getBytes() > Integer.MAX_VALUE) {
            throw invalid(MAX_TEXT_BYTES, maxText, "must be at most " + Integer.MAX_VALUE + " bytes");
        }
        return builder()
                .brokers(read(configuration, BROKERS))
                .inputTopic(read(configuration, INPUT_TOPIC))
                .outputTopic(read(configuration, OUTPUT_TOPIC))
                .deadLetterTopic(read(configuration, DEAD_LETTER_TOPIC))
                .format(read(configuration, FORMAT))
                .schemaRegistryUrl(read(configuration, SCHEMA_REGISTRY_URL))
                .groupId(read(configuration, GROUP_ID))
                .maxBatchSize(read(configuration, MAX_BATCH_SIZE))
                .maxBatchTokens(read(configuration, MAX_BATCH_TOKENS))
                .maxInFlightBatches(read(configuration, MAX_IN_FLIGHT_BATCHES))
                .maxBatchWait(read(configuration, MAX_BATCH_WAIT))
                .batchTimeout(read(configuration, BATCH_TIMEOUT))
                .maxTextBytes((int) maxText.getBytes())
                .maxRecordBytes(read(configuration, MAX_RECORD_BYTES))
                .parallelism(read(configuration, PARALLELISM))
                .checkpointInterval(read(configuration, CHECKPOINT_INTERVAL))
                .encoder(read(configuration, ENCODER))
                .encoderWeights(read(configuration, ENCODER_WEIGHTS))
                .device(read(configuration, DEVICE))
                .sentimentModel(read(configuration, SENTIMENT_MODEL))
                .entitiesModel(read(configuration, ENTITIES_MODEL))
                .tasks(read(configuration, TASKS))
                .windowTokens(read(configuration, WINDOW_TOKENS))
                .inferenceThreads(read(configuration, INFERENCE_THREADS))
                .summarySentences(read(configuration, SUMMARY_SENTENCES))
                .summaryMaxWords(read(configuration, SUMMARY_MAX_WORDS))
                .startingOffsets(read(configuration, STARTING_OFFSETS))
                .bounded(read(configuration, BOUNDED))
                .transactionalIdPrefix(read(configuration, TRANSACTIONAL_ID_PREFIX))
                .kafkaProperties(read(configuration, KAFKA_PROPERTIES))
                .build();
    }

    /** The option table for {@code --help}: every option with its default and description. */
    public static String help() {
        return OptionsHelp.render(USAGE, ALL);
    }

    public String brokers() {
        return brokers;
    }

    public String inputTopic() {
        return inputTopic;
    }

    public String outputTopic() {
        return outputTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public InputFormat format() {
        return format;
    }

    /** The schema registry for {@link InputFormat#AVRO_CONFLUENT}; empty otherwise. */
    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    public String groupId() {
        return groupId;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public int maxBatchTokens() {
        return maxBatchTokens;
    }

    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    public Duration maxBatchWait() {
        return maxBatchWait;
    }

    public Duration batchTimeout() {
        return batchTimeout;
    }

    public int maxTextBytes() {
        return maxTextBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public int parallelism() {
        return parallelism;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public EncoderVariant encoder() {
        return encoder;
    }

    /** The user's sentiment model directory; empty for the bundled head. */
    public Optional<String> sentimentModel() {
        return sentimentModel.isEmpty() ? Optional.empty() : Optional.of(sentimentModel);
    }

    /** The user's entity model directory; empty for the bundled head. */
    public Optional<String> entitiesModel() {
        return entitiesModel.isEmpty() ? Optional.empty() : Optional.of(entitiesModel);
    }

    public EncoderWeights encoderWeights() {
        return encoderWeights;
    }

    /** Where the encoder runs; see {@link EnrichmentJobConfigOptions#DEVICE}. */
    public DevicePreference device() {
        return device;
    }

    /** The tasks to compute, without duplicates, in the order given. */
    public List<Task> tasks() {
        return tasks;
    }

    public int windowTokens() {
        return windowTokens;
    }

    /** Threads of the shared model per TaskManager; 0 means the JVM's available processors. */
    public int inferenceThreads() {
        return inferenceThreads;
    }

    public int summarySentences() {
        return summarySentences;
    }

    /** Most words in a summary; 0 means no word budget. */
    public int summaryMaxWords() {
        return summaryMaxWords;
    }

    public StartingOffsets startingOffsets() {
        return startingOffsets;
    }

    public boolean bounded() {
        return bounded;
    }

    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    /** The pass-through Kafka client properties, as a fresh copy the caller may modify. */
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaProperties);
        return copy;
    }

    /** Whether {@code --help} or {@code -h} was given; the other options then hold their defaults. */
    public boolean helpRequested() {
        return helpRequested;
    }

    private void validate() {
        requireNotBlank(BROKERS, brokers);
        requireTopicName(INPUT_TOPIC, inputTopic);
        requireTopicName(OUTPUT_TOPIC, outputTopic);
        requireTopicName(DEAD_LETTER_TOPIC, deadLetterTopic);
        if (outputTopic.equals(inputTopic)) {
            throw invalid(OUTPUT_TOPIC, outputTopic, "must differ from --" + INPUT_TOPIC.key());
        }
        if (deadLetterTopic.equals(inputTopic)) {
            throw invalid(DEAD_LETTER_TOPIC, deadLetterTopic, "must differ from --" + INPUT_TOPIC.key());
        }
        if (deadLetterTopic.equals(outputTopic)) {
            throw invalid(DEAD_LETTER_TOPIC, deadLetterTopic, "must differ from --" + OUTPUT_TOPIC.key());
        }
        if (format == InputFormat.AVRO_CONFLUENT && schemaRegistryUrl.isBlank()) {
            throw invalid(SCHEMA_REGISTRY_URL, "", "--" + FORMAT.key() + " avro_confluent needs a schema registry URL");
        }
        if (format != InputFormat.AVRO_CONFLUENT && !schemaRegistryUrl.isBlank()) {
            throw invalid(
                    SCHEMA_REGISTRY_URL,
                    redactedRegistryUrl(),
                    "is only read with --" + FORMAT.key() + " avro_confluent (the format is "
                            + OptionValues.render(format) + ")");
        }
        if (!schemaRegistryUrl.isBlank()) {
            try {
                format.deserializer(schemaRegistryUrl);
            } catch (IllegalArgumentException e) {
                throw invalid(SCHEMA_REGISTRY_URL, redactedRegistryUrl(), e.getMessage());
            }
        }
        requireNotBlank(GROUP_ID, groupId);
        requireNotBlank(TRANSACTIONAL_ID_PREFIX, transactionalIdPrefix);
        requireAtLeastOne(MAX_BATCH_SIZE, maxBatchSize);
        requireAtLeastOne(MAX_BATCH_TOKENS, maxBatchTokens);
        requireAtLeastOne(MAX_IN_FLIGHT_BATCHES, maxInFlightBatches);
        requireAtLeastOne(MAX_TEXT_BYTES, maxTextBytes);
        if (maxRecordBytes < 1024) {
            throw invalid(MAX_RECORD_BYTES, maxRecordBytes, "must be at least 1024");
        }
        requireAtLeastOne(PARALLELISM, parallelism);
        requireAtLeastOne(SUMMARY_SENTENCES, summarySentences);
        requireNotNegative(SUMMARY_MAX_WORDS, summaryMaxWords);
        if (tasks.isEmpty()) {
            throw invalid(TASKS, "", "name at least one of " + OptionValues.choicesOf(TASKS));
        }
        requireNotNegative(INFERENCE_THREADS, inferenceThreads);
        if (windowTokens < 8 || windowTokens > 512) {
            throw invalid(WINDOW_TOKENS, windowTokens, "must be within 8 and 512");
        }
        if (maxBatchWait.isNegative()) {
            throw invalid(MAX_BATCH_WAIT, maxBatchWait, "must not be negative");
        }
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw invalid(BATCH_TIMEOUT, batchTimeout, "must be positive");
        }
        if (checkpointInterval.compareTo(MIN_CHECKPOINT_INTERVAL) < 0) {
            throw invalid(
                    CHECKPOINT_INTERVAL,
                    checkpointInterval,
                    "must be at least " + OptionValues.render(MIN_CHECKPOINT_INTERVAL));
        }
        for (String key : kafkaProperties.keySet()) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("Kafka property names must not be empty");
            }
            ConfigOption<?> owner = OWNED_KAFKA_PROPERTIES.get(key);
            if (owner != null) {
                throw new IllegalArgumentException("Kafka property " + key + " is set by --" + owner.key()
                        + "; use that option instead of --" + KAFKA_PROPERTIES.key() + "." + key);
            }
        }
    }

    private static void requireNotBlank(ConfigOption<String> option, String value) {
        if (value.isBlank()) {
            throw invalid(option, value, "must not be empty");
        }
    }

    private static void requireTopicName(ConfigOption<String> option, String value) {
        requireNotBlank(option, value);
        if (!TOPIC_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw invalid(option, value, "a topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'");
        }
    }

    private static void requireAtLeastOne(ConfigOption<?> option, int value) {
        if (value < 1) {
            throw invalid(option, value, "must be at least 1");
        }
    }

    private static void requireNotNegative(ConfigOption<?> option, int value) {
        if (value < 0) {
            throw invalid(option, value, "must be at least 0");
        }
    }

    private static <T> T read(Configuration configuration, ConfigOption<T> option) {
        try {
            String raw = configuration.toMap().get(option.key());
            if (option.defaultValue() instanceof List<?>
                    && raw != null
                    && !raw.strip().startsWith("[")) {
                // Lists are written comma-separated on the command line; Flink's own syntax is a YAML flow list.
                Configuration asYamlList = new Configuration();
                asYamlList.setString(option.key(), "[" + raw + "]");
                return asYamlList.get(option);
            }
            return configuration.get(option);
        } catch (IllegalArgumentException e) {
            String raw = configuration.toMap().get(option.key());
            throw new IllegalArgumentException(message(option, raw, "expected " + OptionValues.expected(option)), e);
        }
    }

    /** The registry URL without user info: it may hold credentials. */
    private String redactedRegistryUrl() {
        return schemaRegistryUrl.replaceFirst("//[^/@]*@", "//" + MASK + "@");
    }

    private static IllegalArgumentException invalid(ConfigOption<?> option, Object value, String reason) {
        return new IllegalArgumentException(message(option, OptionValues.render(value), reason));
    }

    private static String message(ConfigOption<?> option, String rawValue, String reason) {
        return "Invalid value '" + rawValue + "' for --" + option.key() + ": " + reason;
    }

    /** Every option with its value, except that Kafka property values are masked: they may be credentials. */
    @Override
    public String toString() {
        String kafka = kafkaProperties.keySet().stream()
                .map(key -> key + "=" + MASK)
                .collect(Collectors.joining(", ", "{", "}"));
        return "EnrichmentJobOptions{"
                + BROKERS.key() + "=" + brokers
                + ", " + INPUT_TOPIC.key() + "=" + inputTopic
                + ", " + OUTPUT_TOPIC.key() + "=" + outputTopic
                + ", " + DEAD_LETTER_TOPIC.key() + "=" + deadLetterTopic
                + ", " + FORMAT.key() + "=" + OptionValues.render(format)
                + ", " + SCHEMA_REGISTRY_URL.key() + "=" + redactedRegistryUrl()
                + ", " + GROUP_ID.key() + "=" + groupId
                + ", " + MAX_BATCH_SIZE.key() + "=" + maxBatchSize
                + ", " + MAX_BATCH_TOKENS.key() + "=" + maxBatchTokens
                + ", " + MAX_IN_FLIGHT_BATCHES.key() + "=" + maxInFlightBatches
                + ", " + MAX_BATCH_WAIT.key() + "=" + OptionValues.render(maxBatchWait)
                + ", " + BATCH_TIMEOUT.key() + "=" + OptionValues.render(batchTimeout)
                + ", " + MAX_TEXT_BYTES.key() + "=" + maxTextBytes
                + ", " + MAX_RECORD_BYTES.key() + "=" + maxRecordBytes
                + ", " + PARALLELISM.key() + "=" + parallelism
                + ", " + CHECKPOINT_INTERVAL.key() + "=" + OptionValues.render(checkpointInterval)
                + ", " + ENCODER.key() + "=" + OptionValues.render(encoder)
                + ", " + ENCODER_WEIGHTS.key() + "=" + OptionValues.render(encoderWeights)
                + ", " + DEVICE.key() + "=" + OptionValues.render(device)
                + ", " + SENTIMENT_MODEL.key() + "=" + sentimentModel
                + ", " + ENTITIES_MODEL.key() + "=" + entitiesModel
                + ", " + TASKS.key() + "=" + OptionValues.render(tasks)
                + ", " + WINDOW_TOKENS.key() + "=" + windowTokens
                + ", " + INFERENCE_THREADS.key() + "=" + inferenceThreads
                + ", " + SUMMARY_SENTENCES.key() + "=" + summarySentences
                + ", " + SUMMARY_MAX_WORDS.key() + "=" + summaryMaxWords
                + ", " + STARTING_OFFSETS.key() + "=" + OptionValues.render(startingOffsets)
                + ", " + BOUNDED.key() + "=" + bounded
                + ", " + TRANSACTIONAL_ID_PREFIX.key() + "=" + transactionalIdPrefix
                + ", " + KAFKA_PROPERTIES.key() + "=" + kafka
                + (helpRequested ? ", help" : "")
                + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EnrichmentJobOptions other)) {
            return false;
        }
        return maxBatchSize == other.maxBatchSize
                && maxBatchTokens == other.maxBatchTokens
                && maxInFlightBatches == other.maxInFlightBatches
                && maxTextBytes == other.maxTextBytes
                && maxRecordBytes == other.maxRecordBytes
                && parallelism == other.parallelism
                && bounded == other.bounded
                && helpRequested == other.helpRequested
                && brokers.equals(other.brokers)
                && inputTopic.equals(other.inputTopic)
                && outputTopic.equals(other.outputTopic)
                && deadLetterTopic.equals(other.deadLetterTopic)
                && format == other.format
                && schemaRegistryUrl.equals(other.schemaRegistryUrl)
                && groupId.equals(other.groupId)
                && maxBatchWait.equals(other.maxBatchWait)
                && batchTimeout.equals(other.batchTimeout)
                && checkpointInterval.equals(other.checkpointInterval)
                && encoder == other.encoder
                && encoderWeights == other.encoderWeights
                && device == other.device
                && sentimentModel.equals(other.sentimentModel)
                && entitiesModel.equals(other.entitiesModel)
                && tasks.equals(other.tasks)
                && windowTokens == other.windowTokens
                && inferenceThreads == other.inferenceThreads
                && summarySentences == other.summarySentences
                && summaryMaxWords == other.summaryMaxWords
                && startingOffsets == other.startingOffsets
                && transactionalIdPrefix.equals(other.transactionalIdPrefix)
                && kafkaProperties.equals(other.kafkaProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                brokers,
                inputTopic,
                outputTopic,
                deadLetterTopic,
                format,
                schemaRegistryUrl,
                groupId,
                maxBatchSize,
                maxBatchTokens,
                maxInFlightBatches,
                maxBatchWait,
                batchTimeout,
                maxTextBytes,
                maxRecordBytes,
                parallelism,
                checkpointInterval,
                encoder,
                encoderWeights,
                device,
                sentimentModel,
                entitiesModel,
                tasks,
                windowTokens,
                inferenceThreads,
                summarySentences,
                summaryMaxWords,
                startingOffsets,
                bounded,
                transactionalIdPrefix,
                kafkaProperties,
                helpRequested);
    }

    /** Starts from the defaults of {@link EnrichmentJobConfigOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String brokers = BROKERS.defaultValue();
        private String inputTopic = INPUT_TOPIC.defaultValue();
        private String outputTopic = OUTPUT_TOPIC.defaultValue();
        private String deadLetterTopic = DEAD_LETTER_TOPIC.defaultValue();
        private InputFormat format = FORMAT.defaultValue();
        private String schemaRegistryUrl = SCHEMA_REGISTRY_URL.defaultValue();
        private String groupId = GROUP_ID.defaultValue();
        private int maxBatchSize = MAX_BATCH_SIZE.defaultValue();
        private int maxBatchTokens = MAX_BATCH_TOKENS.defaultValue();
        private int maxInFlightBatches = MAX_IN_FLIGHT_BATCHES.defaultValue();
        private Duration maxBatchWait = MAX_BATCH_WAIT.defaultValue();
        private Duration batchTimeout = BATCH_TIMEOUT.defaultValue();
        private int maxTextBytes = (int) MAX_TEXT_BYTES.defaultValue().getBytes();
        private int maxRecordBytes = MAX_RECORD_BYTES.defaultValue();
        private int parallelism = PARALLELISM.defaultValue();
        private Duration checkpointInterval = CHECKPOINT_INTERVAL.defaultValue();
        private EncoderVariant encoder = ENCODER.defaultValue();
        private EncoderWeights encoderWeights = ENCODER_WEIGHTS.defaultValue();
        private DevicePreference device = DEVICE.defaultValue();
        private String sentimentModel = SENTIMENT_MODEL.defaultValue();
        private String entitiesModel = ENTITIES_MODEL.defaultValue();
        private List<Task> tasks = TASKS.defaultValue();
        private int windowTokens = WINDOW_TOKENS.defaultValue();
        private int inferenceThreads = INFERENCE_THREADS.defaultValue();
        private int summarySentences = SUMMARY_SENTENCES.defaultValue();
        private int summaryMaxWords = SUMMARY_MAX_WORDS.defaultValue();
        private StartingOffsets startingOffsets = STARTING_OFFSETS.defaultValue();
        private boolean bounded = BOUNDED.defaultValue();
        private String transactionalIdPrefix = TRANSACTIONAL_ID_PREFIX.defaultValue();
        private final Map<String, String> kafkaProperties = new TreeMap<>(KAFKA_PROPERTIES.defaultValue());

        private Builder() {}

        private Builder(EnrichmentJobOptions o) {
            brokers = o.brokers;
            inputTopic = o.inputTopic;
            outputTopic = o.outputTopic;
            deadLetterTopic = o.deadLetterTopic;
            format = o.format;
            schemaRegistryUrl = o.schemaRegistryUrl;
            groupId = o.groupId;
            maxBatchSize = o.maxBatchSize;
            maxBatchTokens = o.maxBatchTokens;
            maxInFlightBatches = o.maxInFlightBatches;
            maxBatchWait = o.maxBatchWait;
            batchTimeout = o.batchTimeout;
            maxTextBytes = o.maxTextBytes;
            maxRecordBytes = o.maxRecordBytes;
            parallelism = o.parallelism;
            checkpointInterval = o.checkpointInterval;
            encoder = o.encoder;
            encoderWeights = o.encoderWeights;
            device = o.device;
            sentimentModel = o.sentimentModel;
            entitiesModel = o.entitiesModel;
            tasks = o.tasks;
            windowTokens = o.windowTokens;
            inferenceThreads = o.inferenceThreads;
            summarySentences = o.summarySentences;
            summaryMaxWords = o.summaryMaxWords;
            startingOffsets = o.startingOffsets;
            bounded = o.bounded;
            transactionalIdPrefix = o.transactionalIdPrefix;
            kafkaProperties.putAll(o.kafkaProperties);
        }

        public Builder brokers(String brokers) {
            this.brokers = Objects.requireNonNull(brokers, BROKERS.key());
            return this;
        }

        public Builder inputTopic(String topic) {
            this.inputTopic = Objects.requireNonNull(topic, INPUT_TOPIC.key());
            return this;
        }

        public Builder outputTopic(String topic) {
            this.outputTopic = Objects.requireNonNull(topic, OUTPUT_TOPIC.key());
            return this;
        }

        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = Objects.requireNonNull(topic, DEAD_LETTER_TOPIC.key());
            return this;
        }

        public Builder format(InputFormat format) {
            this.format = Objects.requireNonNull(format, FORMAT.key());
            return this;
        }

        public Builder schemaRegistryUrl(String url) {
            this.schemaRegistryUrl = Objects.requireNonNull(url, SCHEMA_REGISTRY_URL.key());
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId, GROUP_ID.key());
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder maxBatchTokens(int maxBatchTokens) {
            this.maxBatchTokens = maxBatchTokens;
            return this;
        }

        public Builder maxInFlightBatches(int maxInFlightBatches) {
            this.maxInFlightBatches = maxInFlightBatches;
            return this;
        }

        public Builder batchTimeout(Duration batchTimeout) {
            this.batchTimeout = Objects.requireNonNull(batchTimeout, BATCH_TIMEOUT.key());
            return this;
        }

        public Builder maxBatchWait(Duration maxBatchWait) {
            this.maxBatchWait = Objects.requireNonNull(maxBatchWait, MAX_BATCH_WAIT.key());
            return this;
        }

        public Builder maxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        public Builder maxTextBytes(int maxTextBytes) {
            this.maxTextBytes = maxTextBytes;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = Objects.requireNonNull(checkpointInterval, CHECKPOINT_INTERVAL.key());
            return this;
        }

        public Builder encoder(EncoderVariant encoder) {
            this.encoder = Objects.requireNonNull(encoder, ENCODER.key());
            return this;
        }

        public Builder encoderWeights(EncoderWeights encoderWeights) {
            this.encoderWeights = Objects.requireNonNull(encoderWeights, ENCODER_WEIGHTS.key());
            return this;
        }

        public Builder device(DevicePreference device) {
            this.device = Objects.requireNonNull(device, DEVICE.key());
            return this;
        }

        /** A Hugging Face sequence-classification export directory; empty for the bundled head. */
        public Builder sentimentModel(String dir) {
            this.sentimentModel =
                    Objects.requireNonNull(dir, SENTIMENT_MODEL.key()).strip();
            return this;
        }

        /** A Hugging Face token-classification export directory; empty for the bundled head. */
        public Builder entitiesModel(String dir) {
            this.entitiesModel =
                    Objects.requireNonNull(dir, ENTITIES_MODEL.key()).strip();
            return this;
        }

        public Builder tasks(List<Task> tasks) {
            this.tasks = List.copyOf(Objects.requireNonNull(tasks, TASKS.key()));
            return this;
        }

        public Builder windowTokens(int windowTokens) {
            this.windowTokens = windowTokens;
            return this;
        }

        public Builder inferenceThreads(int threads) {
            this.inferenceThreads = threads;
            return this;
        }

        public Builder summarySentences(int summarySentences) {
            this.summarySentences = summarySentences;
            return this;
        }

        /** Most words in a summary; 0 (the default) means no word budget. */
        public Builder summaryMaxWords(int summaryMaxWords) {
            this.summaryMaxWords = summaryMaxWords;
            return this;
        }

        public Builder startingOffsets(StartingOffsets startingOffsets) {
            this.startingOffsets = Objects.requireNonNull(startingOffsets, STARTING_OFFSETS.key());
            return this;
        }

        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = Objects.requireNonNull(prefix, TRANSACTIONAL_ID_PREFIX.key());
            return this;
        }

        /** Adds one pass-through Kafka client property, replacing an earlier value of the same name. */
        public Builder kafkaProperty(String name, String value) {
            kafkaProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Replaces all pass-through Kafka client properties. */
        public Builder kafkaProperties(Map<String, String> properties) {
            Map<String, String> copy = new TreeMap<>();
            properties.forEach((name, value) ->
                    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            kafkaProperties.clear();
            kafkaProperties.putAll(copy);
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid option */
        public EnrichmentJobOptions build() {
            return new EnrichmentJobOptions(this, false);
        }
    }
}
