/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import static io.heed.jobs.config.EnrichmentJobConfigOptions.ALL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.BOUNDED;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.BROKERS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.CHECKPOINT_INTERVAL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.CONFIG_FILE;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.DEAD_LETTER_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.FORMAT;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.GROUP_ID;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.INPUT_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.KAFKA_PROPERTIES;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.OUTPUT_TOPIC;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.PARALLELISM;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.SCHEMA_REGISTRY_URL;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.STARTING_OFFSETS;
import static io.heed.jobs.config.EnrichmentJobConfigOptions.TRANSACTIONAL_ID_PREFIX;

import io.heed.operators.EnrichmentSettings;
import io.heed.operators.HeedOptions;
import io.heed.operators.InputFormat;
import io.heed.operators.OptionValues;
import io.heed.schemas.TextEvent;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the enrichment job: what to read and write ({@link EnrichmentJobConfigOptions}) and how to
 * enrich ({@link #settings()}, from the model and operator options that {@link HeedOptions} defines for every way of
 * running Heed). Immutable; parsed with {@link #fromArgs(String[])} or built with {@link #builder()}, where every
 * option is set by its {@link ConfigOption}, so no option is written down twice.
 *
 * <p>Pass-through Kafka client properties may hold credentials ({@code sasl.jaas.config}), so {@link #toString()}
 * shows their names only, and the schema registry URL without its user info.
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

    /** Every option of {@link EnrichmentJobConfigOptions#ALL} with its typed value, defaults included. */
    private final Map<String, Object> values;

    private final EnrichmentSettings settings;
    private final boolean helpRequested;

    private EnrichmentJobOptions(Configuration config, boolean helpRequested) {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ConfigOption<?> option : ALL) {
            if (option != CONFIG_FILE) {
                typed.put(option.key(), OptionValues.read(config, option));
            }
        }
        typed.put(KAFKA_PROPERTIES.key(), Collections.unmodifiableMap(new TreeMap<>(get(typed, KAFKA_PROPERTIES))));
        this.values = Collections.unmodifiableMap(typed);
        this.helpRequested = helpRequested;
        DeserializationSchema<TextEvent> input = validate();
        this.settings = HeedOptions.settings(config).input(input).build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder(new Configuration());
    }

    /** A builder holding these options, to derive a variant. */
    public Builder toBuilder() {
        Configuration config = new Configuration();
        for (ConfigOption<?> option : ALL) {
            if (values.containsKey(option.key())) {
                set(config, option, values.get(option.key()));
            }
        }
        return new Builder(config);
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Configuration config, ConfigOption<T> option, Object value) {
        config.set(option, (T) value);
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
            return new EnrichmentJobOptions(new Configuration(), true);
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
        return fromConfiguration(Configuration.fromMap(OptionValues.normalize(values, ALL)));
    }

    /** Reads the options from a Flink configuration (keys as in {@link EnrichmentJobConfigOptions}). */
    public static EnrichmentJobOptions fromConfiguration(Configuration configuration) {
        return new EnrichmentJobOptions(configuration, false);
    }

    /** The option table for {@code --help}: every option with its default and description. */
    public static String help() {
        return OptionsHelp.render(USAGE, ALL);
    }

    /** The value of any option of {@link EnrichmentJobConfigOptions#ALL}, its default when not given. */
    public <T> T get(ConfigOption<T> option) {
        return get(values, option);
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, Object> values, ConfigOption<T> option) {
        if (!values.containsKey(option.key())) {
            throw new IllegalArgumentException("Not an option of the enrichment job: " + option.key());
        }
        return (T) values.get(option.key());
    }

    /** How to enrich: the model, batching, limits, device and input format these options describe. */
    public EnrichmentSettings settings() {
        return settings;
    }

    public String brokers() {
        return get(BROKERS);
    }

    public String inputTopic() {
        return get(INPUT_TOPIC);
    }

    public String outputTopic() {
        return get(OUTPUT_TOPIC);
    }

    public String deadLetterTopic() {
        return get(DEAD_LETTER_TOPIC);
    }

    public InputFormat format() {
        return get(FORMAT);
    }

    /** The schema registry for {@link InputFormat#AVRO_CONFLUENT}; empty otherwise. */
    public String schemaRegistryUrl() {
        return get(SCHEMA_REGISTRY_URL);
    }

    public String groupId() {
        return get(GROUP_ID);
    }

    public int parallelism() {
        return get(PARALLELISM);
    }

    public Duration checkpointInterval() {
        return get(CHECKPOINT_INTERVAL);
    }

    public StartingOffsets startingOffsets() {
        return get(STARTING_OFFSETS);
    }

    public boolean bounded() {
        return get(BOUNDED);
    }

    public String transactionalIdPrefix() {
        return get(TRANSACTIONAL_ID_PREFIX);
    }

    /** The pass-through Kafka client properties, as a fresh copy the caller may modify. */
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(get(KAFKA_PROPERTIES));
        return copy;
    }

    /** Whether {@code --help} or {@code -h} was given; the other options then hold their defaults. */
    public boolean helpRequested() {
        return helpRequested;
    }

    /**
     * Checks the job's own options ({@link HeedOptions#settings} checks the model's and operator's) and returns the
     * input format's deserializer, which checks the registry URL.
     */
    private DeserializationSchema<TextEvent> validate() {
        requireNotBlank(BROKERS);
        requireTopicName(INPUT_TOPIC);
        requireTopicName(OUTPUT_TOPIC);
        requireTopicName(DEAD_LETTER_TOPIC);
        if (outputTopic().equals(inputTopic())) {
            throw OptionValues.invalid(OUTPUT_TOPIC, outputTopic(), "must differ from " + INPUT_TOPIC.key());
        }
        if (deadLetterTopic().equals(inputTopic())) {
            throw OptionValues.invalid(DEAD_LETTER_TOPIC, deadLetterTopic(), "must differ from " + INPUT_TOPIC.key());
        }
        if (deadLetterTopic().equals(outputTopic())) {
            throw OptionValues.invalid(DEAD_LETTER_TOPIC, deadLetterTopic(), "must differ from " + OUTPUT_TOPIC.key());
        }
        String registry = schemaRegistryUrl();
        if (format() == InputFormat.AVRO_CONFLUENT && registry.isBlank()) {
            throw OptionValues.invalid(
                    SCHEMA_REGISTRY_URL, "", FORMAT.key() + " avro_confluent needs a schema registry URL");
        }
        if (format() != InputFormat.AVRO_CONFLUENT && !registry.isBlank()) {
            throw OptionValues.invalid(
                    SCHEMA_REGISTRY_URL,
                    redactedRegistryUrl(),
                    "is only read with " + FORMAT.key() + " avro_confluent (the format is "
                            + OptionValues.render(format()) + ")");
        }
        DeserializationSchema<TextEvent> input;
        try {
            input = format().deserializer(registry);
        } catch (IllegalArgumentException e) {
            throw OptionValues.invalid(SCHEMA_REGISTRY_URL, redactedRegistryUrl(), e.getMessage());
        }
        requireNotBlank(GROUP_ID);
        requireNotBlank(TRANSACTIONAL_ID_PREFIX);
        if (parallelism() < 1) {
            throw OptionValues.invalid(PARALLELISM, parallelism(), "must be at least 1");
        }
        if (checkpointInterval().compareTo(MIN_CHECKPOINT_INTERVAL) < 0) {
            throw OptionValues.invalid(
                    CHECKPOINT_INTERVAL,
                    checkpointInterval(),
                    "must be at least " + OptionValues.render(MIN_CHECKPOINT_INTERVAL));
        }
        for (String key : get(KAFKA_PROPERTIES).keySet()) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("Kafka property names must not be empty");
            }
            ConfigOption<?> owner = OWNED_KAFKA_PROPERTIES.get(key);
            if (owner != null) {
                throw new IllegalArgumentException("Kafka property " + key + " is set by --" + owner.key()
                        + "; use that option instead of --" + KAFKA_PROPERTIES.key() + "." + key);
            }
        }
        return input;
    }

    private void requireNotBlank(ConfigOption<String> option) {
        if (get(option).isBlank()) {
            throw OptionValues.invalid(option, get(option), "must not be empty");
        }
    }

    private void requireTopicName(ConfigOption<String> option) {
        requireNotBlank(option);
        String value = get(option);
        if (!TOPIC_NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw OptionValues.invalid(
                    option, value, "a topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'");
        }
    }

    /** The registry URL without user info: it may hold credentials. */
    private String redactedRegistryUrl() {
        return schemaRegistryUrl().replaceFirst("//[^/@]*@", "//" + MASK + "@");
    }

    /**
     * Every option with its value as it would be written, except that Kafka property values are masked and the
     * registry URL loses its user info: they may be credentials.
     */
    @Override
    public String toString() {
        return ALL.stream()
                        .filter(option -> values.containsKey(option.key()))
                        .map(option -> option.key() + "=" + shown(option))
                        .collect(Collectors.joining(", ", "EnrichmentJobOptions{", ""))
                + (helpRequested ? ", help" : "")
                + "}";
    }

    private String shown(ConfigOption<?> option) {
        if (option == KAFKA_PROPERTIES) {
            return get(KAFKA_PROPERTIES).keySet().stream()
                    .map(key -> key + "=" + MASK)
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (option == SCHEMA_REGISTRY_URL) {
            return redactedRegistryUrl();
        }
        return OptionValues.render(get(option));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrichmentJobOptions other
                && values.equals(other.values)
                && helpRequested == other.helpRequested;
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, helpRequested);
    }

    /** Starts from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final Configuration config;

        private Builder(Configuration config) {
            this.config = config;
        }

        /** Sets any option of {@link EnrichmentJobConfigOptions#ALL}, e.g. {@code set(HeedOptions.TASKS, tasks)}. */
        public <T> Builder set(ConfigOption<T> option, T value) {
            if (!ALL.contains(option) || option == CONFIG_FILE) {
                throw new IllegalArgumentException("Not an option of the enrichment job: " + option.key());
            }
            config.set(option, Objects.requireNonNull(value, option.key()));
            return this;
        }

        // The job's own options have their own methods; the model's and operator's are set with set(HeedOptions.X, v).

        public Builder brokers(String brokers) {
            return set(BROKERS, brokers);
        }

        public Builder inputTopic(String topic) {
            return set(INPUT_TOPIC, topic);
        }

        public Builder outputTopic(String topic) {
            return set(OUTPUT_TOPIC, topic);
        }

        public Builder deadLetterTopic(String topic) {
            return set(DEAD_LETTER_TOPIC, topic);
        }

        public Builder format(InputFormat format) {
            return set(FORMAT, format);
        }

        public Builder schemaRegistryUrl(String url) {
            return set(SCHEMA_REGISTRY_URL, url);
        }

        public Builder groupId(String groupId) {
            return set(GROUP_ID, groupId);
        }

        public Builder parallelism(int parallelism) {
            return set(PARALLELISM, parallelism);
        }

        public Builder checkpointInterval(Duration interval) {
            return set(CHECKPOINT_INTERVAL, interval);
        }

        public Builder startingOffsets(StartingOffsets startingOffsets) {
            return set(STARTING_OFFSETS, startingOffsets);
        }

        public Builder bounded(boolean bounded) {
            return set(BOUNDED, bounded);
        }

        public Builder transactionalIdPrefix(String prefix) {
            return set(TRANSACTIONAL_ID_PREFIX, prefix);
        }

        /** Adds one pass-through Kafka client property, replacing an earlier value of the same name. */
        public Builder kafkaProperty(String name, String value) {
            Map<String, String> properties = new TreeMap<>(config.get(KAFKA_PROPERTIES));
            properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return set(KAFKA_PROPERTIES, properties);
        }

        /** @throws IllegalArgumentException naming the first invalid option */
        public EnrichmentJobOptions build() {
            return new EnrichmentJobOptions(config.clone(), false);
        }
    }
}
