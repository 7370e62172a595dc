/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.operators.DevicePreference;
import io.heed.operators.HeedOptions;
import io.heed.operators.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.TextElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnrichmentJobOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[0]);

        assertThat(options.brokers()).isEqualTo("localhost:9092");
        assertThat(options.inputTopic()).isEqualTo("heed.text");
        assertThat(options.outputTopic()).isEqualTo("heed.enriched");
        assertThat(options.deadLetterTopic()).isEqualTo("heed.dead-letter");
        assertThat(options.format()).isEqualTo(InputFormat.AVRO);
        assertThat(options.groupId()).isEqualTo("heed-enrichment");
        assertThat(options.settings().maxBatchSize()).isEqualTo(64);
        assertThat(options.settings().maxBatchTokens()).isEqualTo(2048);
        assertThat(options.settings().maxInFlightBatches()).isEqualTo(2);
        assertThat(options.settings().maxBatchWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(options.settings().maxTextBytes()).isEqualTo(1_048_576);
        assertThat(options.settings().maxRecordBytes()).isEqualTo(1_000_000);
        assertThat(options.parallelism()).isEqualTo(1);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.settings().model().encoder()).isEqualTo(EncoderVariant.INT8);
        assertThat(options.settings().model().weights()).isEqualTo(EncoderWeights.TUNED);
        assertThat(options.settings().device()).isEqualTo(DevicePreference.AUTO);
        assertThat(options.settings().model().sentimentModelDir()).isEmpty();
        assertThat(options.settings().model().entitiesModelDir()).isEmpty();
        assertThat(options.settings().model().tasks()).containsExactly(Task.SENTIMENT, Task.ENTITIES, Task.SUMMARY);
        assertThat(options.settings().model().windowing().windowTokens()).isEqualTo(256);
        assertThat(options.settings().model().summarySentences()).isEqualTo(3);
        assertThat(options.settings().model().summaryMaxWords()).isZero();
        assertThat(options.startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(options.bounded()).isFalse();
        assertThat(options.transactionalIdPrefix()).isEqualTo("heed");
        assertThat(options.kafkaProperties()).isEmpty();
        assertThat(options.helpRequested()).isFalse();
        assertThat(options).isEqualTo(EnrichmentJobOptions.builder().build());
    }

    @Test
    void theRegistryUrlGoesWithAvroConfluentOnlyAndItsCredentialsAreMasked() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--format", "avro_confluent"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for schema-registry-url")
                .hasMessageContaining("needs a schema registry URL");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(
                        new String[] {"--schema-registry-url", "http://u:pw@registry:8081"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only read with format avro_confluent")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(
                        new String[] {"--format", "avro_confluent", "--schema-registry-url", "registry:8081"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)://");
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(
                new String[] {"--format", "avro_confluent", "--schema-registry-url", "https://key:secret@registry:8081"
                });
        assertThat(options.toString())
                .contains("schema-registry-url=https://****@registry:8081")
                .doesNotContain("secret");
    }

    @Test
    void everyOptionIsParsed() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[] {
            "--brokers", "k1:9092,k2:9092",
            "--input-topic", "in",
            "--output-topic", "out",
            "--dead-letter-topic", "dlq",
            "--format", "avro_confluent",
            "--schema-registry-url", "https://key:secret@registry:8081",
            "--group-id", "g",
            "--max-batch-size", "16",
            "--max-batch-tokens", "512",
            "--max-in-flight-batches", "3",
            "--max-batch-wait", "20 ms",
            "--batch-timeout", "30 s",
            "--max-text-bytes", "4096",
            "--max-record-bytes", "2000000",
            "--parallelism", "4",
            "--checkpoint-interval", "1 min",
            "--encoder", "fp32",
            "--encoder-weights", "frozen",
            "--device", "gpu",
            "--sentiment-model", "/models/sst2",
            "--entities-model", "/models/ner",
            "--tasks", "entities,sentiment",
            "--window-tokens", "128",
            "--inference-threads", "3",
            "--concurrent-batches", "3",
            "--summary-sentences", "5",
            "--summary-max-words", "80",
            "--starting-offsets", "committed",
            "--bounded", "true",
            "--transactional-id-prefix", "heed-test",
            "--kafka.security.protocol", "SASL_SSL",
        });

        EnrichmentJobOptions expected = EnrichmentJobOptions.builder()
                .brokers("k1:9092,k2:9092")
                .inputTopic("in")
                .outputTopic("out")
                .deadLetterTopic("dlq")
                .format(InputFormat.AVRO_CONFLUENT)
                .schemaRegistryUrl("https://key:secret@registry:8081")
                .groupId("g")
                .set(HeedOptions.MAX_BATCH_SIZE, 16)
                .set(HeedOptions.MAX_BATCH_TOKENS, 512)
                .set(HeedOptions.MAX_IN_FLIGHT_BATCHES, 3)
                .set(HeedOptions.MAX_BATCH_WAIT, Duration.ofMillis(20))
                .set(HeedOptions.BATCH_TIMEOUT, Duration.ofSeconds(30))
                .set(HeedOptions.MAX_TEXT_BYTES, MemorySize.parse("4096"))
                .set(HeedOptions.MAX_RECORD_BYTES, 2_000_000)
                .parallelism(4)
                .checkpointInterval(Duration.ofMinutes(1))
                .set(HeedOptions.ENCODER, EncoderVariant.FP32)
                .set(HeedOptions.ENCODER_WEIGHTS, EncoderWeights.FROZEN)
                .set(HeedOptions.DEVICE, DevicePreference.GPU)
                .set(HeedOptions.SENTIMENT_MODEL, "/models/sst2")
                .set(HeedOptions.ENTITIES_MODEL, "/models/ner")
                .set(HeedOptions.TASKS, List.of(Task.ENTITIES, Task.SENTIMENT))
                .set(HeedOptions.WINDOW_TOKENS, 128)
                .set(HeedOptions.INFERENCE_THREADS, 3)
                .set(HeedOptions.CONCURRENT_BATCHES, 3)
                .set(HeedOptions.SUMMARY_SENTENCES, 5)
                .set(HeedOptions.SUMMARY_MAX_WORDS, 80)
                .startingOffsets(StartingOffsets.COMMITTED)
                .bounded(true)
                .transactionalIdPrefix("heed-test")
                .kafkaProperty("security.protocol", "SASL_SSL")
                .build();
        assertThat(options).isEqualTo(expected);
    }

    @Test
    void everyConfigOptionIsCoveredByTheParseTest() {
        // everyOptionIsParsed gives each option a non-default value; a new option must be added there too.
        assertThat(EnrichmentJobConfigOptions.ALL)
                .extracting(ConfigOption::key)
                .containsExactly(
                        "brokers",
                        "input-topic",
                        "output-topic",
                        "dead-letter-topic",
                        "format",
                        "schema-registry-url",
                        "group-id",
                        "parallelism",
                        "checkpoint-interval",
                        "starting-offsets",
                        "bounded",
                        "transactional-id-prefix",
                        "kafka",
                        "config-file",
                        "max-batch-size",
                        "max-batch-tokens",
                        "max-in-flight-batches",
                        "max-batch-wait",
                        "batch-timeout",
                        "max-text-bytes",
                        "max-record-bytes",
                        "device",
                        "encoder",
                        "encoder-weights",
                        "tasks",
                        "window-tokens",
                        "inference-threads",
                        "concurrent-batches",
                        "summary-sentences",
                        "summary-max-words",
                        "sentiment-model",
                        "entities-model");
    }

    @ParameterizedTest
    @CsvSource({
        "50 ms, 50",
        "50ms, 50",
        "10s, 10000",
        "10 s, 10000",
        "1 min, 60000",
        "1min, 60000",
        "2 h, 7200000",
        "250, 250",
    })
    void durationsAcceptFlinksFormats(String text, long millis) {
        EnrichmentJobOptions options =
                EnrichmentJobOptions.fromArgs(new String[] {"--max-batch-wait", text, "--checkpoint-interval", text});

        assertThat(options.settings().maxBatchWait()).isEqualTo(Duration.ofMillis(millis));
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void sizesAcceptBytesAndUnits() {
        assertThat(EnrichmentJobOptions.fromArgs(new String[] {"--max-text-bytes", "512 kb"})
                        .settings()
                        .maxTextBytes())
                .isEqualTo(524_288);
        assertThat(EnrichmentJobOptions.fromArgs(new String[] {"--max-text-bytes", "1mb"})
                        .settings()
                        .maxTextBytes())
                .isEqualTo(1_048_576);
    }

    @Test
    void equalsFormAndBareFlagAreAccepted() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(
                new String[] {"--bounded", "--encoder=FP32", "--kafka.sasl.jaas.config=a --b;"});

        assertThat(options.bounded()).isTrue();
        assertThat(options.settings().model().encoder()).isEqualTo(EncoderVariant.FP32);
        assertThat(options.kafkaProperties()).containsEntry("sasl.jaas.config", "a --b;");
    }

    @Test
    void encoderWeightsReadAndPrintAsTyped() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[] {"--encoder-weights", "bge-small"});

        assertThat(options.settings().model().weights()).isEqualTo(EncoderWeights.BGE_SMALL);
        assertThat(options.toString()).contains("encoder-weights=bge-small");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--encoder-weights", "bge_small"}))
                .hasMessage("Invalid value 'bge_small' for encoder-weights: expected one of tuned, frozen, bge-small");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--foo", "1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown option --foo; run with --help to list options");
    }

    @Test
    void badIntegerIsRejectedWithTheOptionName() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--max-batch-size", "x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value 'x' for max-batch-size: expected an integer");
    }

    @Test
    void badValuesOfOtherTypesNameWhatIsExpected() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--format", "xml"}))
                .hasMessage(
                        "Invalid value 'xml' for format: expected one of avro, avro_single_object, avro_confluent, json");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--max-batch-wait", "soon"}))
                .hasMessage("Invalid value 'soon' for max-batch-wait: expected a duration such as '50 ms',"
                        + " '10 s' or '1 min'");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--bounded", "yes"}))
                .hasMessage("Invalid value 'yes' for bounded: expected true or false");
    }

    @Test
    void malformedCommandLinesAreRejected() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--group-id"}))
                .hasMessage("Missing value for --group-id");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--group-id", "--parallelism", "2"}))
                .hasMessage("Missing value for --group-id");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"in-topic"}))
                .hasMessageStartingWith("Unexpected argument 'in-topic'");
        assertThatThrownBy(
                        () -> EnrichmentJobOptions.fromArgs(new String[] {"--parallelism", "2", "--parallelism", "3"}))
                .hasMessage("Option --parallelism is given more than once");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--kafka.", "x"}))
                .hasMessageStartingWith("Missing property name in --kafka.");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--kafka", "a:b"}))
                .hasMessageStartingWith("Option --kafka needs a property name");
    }

    @Test
    void valuesAreValidated() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--max-batch-size", "0"}))
                .hasMessageStartingWith("Invalid value '0' for max-batch-size:");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--parallelism", "-1"}))
                .hasMessage("Invalid value '-1' for parallelism: must be at least 1");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--max-text-bytes", "0"}))
                .hasMessageStartingWith("Invalid value '0' for max-text-bytes:");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--max-text-bytes", "4 gb"}))
                .hasMessageStartingWith("Invalid value '4 gb' for max-text-bytes: must be at most");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--input-topic", ""}))
                .hasMessage("Invalid value '' for input-topic: must not be empty");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--output-topic", "bad topic"}))
                .hasMessageStartingWith("Invalid value 'bad topic' for output-topic: a topic name has");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--checkpoint-interval", "1 ms"}))
                .hasMessage("Invalid value '1 ms' for checkpoint-interval: must be at least 10 ms");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--group-id", " "}))
                .hasMessage("Invalid value '' for group-id: must not be empty");
    }

    @Test
    void tasksAndWindowAreValidated() {
        assertThat(EnrichmentJobOptions.fromArgs(new String[] {"--tasks", "summary,summary"})
                        .settings()
                        .model()
                        .tasks())
                .containsExactly(Task.SUMMARY);
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--tasks", "sentiment,topics"}))
                .hasMessageContaining("for tasks")
                .hasMessageContaining("sentiment, entities, summary");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--window-tokens", "1024"}))
                .hasMessageContaining("for window-tokens");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--summary-sentences", "0"}))
                .hasMessageContaining("for summary-sentences");
        assertThat(EnrichmentJobOptions.fromArgs(new String[] {"--summary-max-words", "0"})
                        .settings()
                        .model()
                        .summaryMaxWords())
                .isZero();
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--summary-max-words", "-1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid value '-1' for summary-max-words:");
        assertThatThrownBy(() -> EnrichmentJobOptions.builder()
                        .set(HeedOptions.SUMMARY_MAX_WORDS, -5)
                        .build())
                .hasMessageStartingWith("Invalid value '-5' for summary-max-words:");
    }

    @Test
    void outputTopicsMustDifferFromTheInputAndEachOther() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--output-topic", "heed.text"}))
                .hasMessage("Invalid value 'heed.text' for output-topic: must differ from input-topic");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--dead-letter-topic", "heed.text"}))
                .hasMessage("Invalid value 'heed.text' for dead-letter-topic: must differ from input-topic");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--dead-letter-topic", "heed.enriched"}))
                .hasMessage("Invalid value 'heed.enriched' for dead-letter-topic: must differ from output-topic");
    }

    @Test
    void kafkaPropertiesOwnedByOptionsAreRejected() {
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--kafka.bootstrap.servers", "x:1"}))
                .hasMessage("Kafka property bootstrap.servers is set by --brokers;"
                        + " use that option instead of --kafka.bootstrap.servers");
    }

    @Test
    void helpFlagWinsOverEverythingElse() {
        assertThat(EnrichmentJobOptions.fromArgs(new String[] {"--help"}).helpRequested())
                .isTrue();
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[] {"--foo", "-h"});
        assertThat(options.helpRequested()).isTrue();
        assertThat(options.toBuilder().build())
                .isEqualTo(EnrichmentJobOptions.builder().build());
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndDescription() {
        String help = EnrichmentJobOptions.help();

        assertThat(help).startsWith("Usage:");
        assertThat(help).contains("--help, -h");
        String[][] expected = {
            {"--brokers", "localhost:9092"},
            {"--input-topic", "heed.text"},
            {"--output-topic", "heed.enriched"},
            {"--dead-letter-topic", "heed.dead-letter"},
            {"--format", "avro"},
            {"--schema-registry-url", "(none)"},
            {"--group-id", "heed-enrichment"},
            {"--parallelism", "1"},
            {"--checkpoint-interval", "10 s"},
            {"--starting-offsets", "earliest"},
            {"--bounded", "false"},
            {"--transactional-id-prefix", "heed"},
            {"--kafka.<property>", "(none)"},
            {"--config-file", "(none)"},
            {"--max-batch-size", "64"},
            {"--max-batch-tokens", "2048"},
            {"--max-in-flight-batches", "2"},
            {"--max-batch-wait", "50 ms"},
            {"--batch-timeout", "2 min"},
            {"--max-text-bytes", "1 mb"},
            {"--max-record-bytes", "1000000"},
            {"--device", "auto"},
            {"--encoder", "int8"},
            {"--encoder-weights", "tuned"},
            {"--tasks", "sentiment,entities,summary"},
            {"--window-tokens", "256"},
            {"--inference-threads", "0"},
            {"--concurrent-batches", "0"},
            {"--summary-sentences", "3"},
            {"--summary-max-words", "0"},
            {"--sentiment-model", "(none)"},
            {"--entities-model", "(none)"},
        };
        assertThat(expected.length).isEqualTo(EnrichmentJobConfigOptions.ALL.size());
        for (int i = 0; i < expected.length; i++) {
            ConfigOption<?> option = EnrichmentJobConfigOptions.ALL.get(i);
            String description = ((TextElement) option.description().getBlocks().get(0)).getFormat();
            String firstWords = String.join(" ", java.util.Arrays.copyOf(description.split(" "), 3));
            // One row per option: name, default, then the start of its description.
            assertThat(help)
                    .containsPattern("(?m)^" + Pattern.quote(expected[i][0]) + " +" + Pattern.quote(expected[i][1])
                            + " +" + Pattern.quote(firstWords));
        }
        assertThat(help)
                .contains("One of: avro, avro_single_object, avro_confluent,\n")
                .contains("One of: int8, fp32.")
                .contains("One of: earliest, latest, committed.");
    }

    @Test
    void kafkaPropertiesArePassedThroughAndMaskedInToString() {
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[] {
            "--kafka.security.protocol",
            "SASL_SSL",
            "--kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required" + " username=\"u\" password=\"s3cret\";",
        });

        Properties kafka = options.kafkaProperties();
        assertThat(kafka)
                .hasSize(2)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required username=\"u\" password=\"s3cret\";");
        assertThat(options.toString())
                .contains("security.protocol=****", "sasl.jaas.config=****")
                .doesNotContain("s3cret", "SASL_SSL", "PlainLoginModule");

        kafka.setProperty("security.protocol", "PLAINTEXT");
        assertThat(options.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void toStringShowsTheOtherOptionsAsTheyAreWritten() {
        assertThat(EnrichmentJobOptions.builder().build().toString())
                .contains("max-batch-wait=50 ms", "format=avro", "checkpoint-interval=10 s", "kafka={}")
                .contains("summary-sentences=3, summary-max-words=0");
    }

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void aYamlFileSetsOptionsAndTheCommandLineOverridesIt() throws IOException {
        Path yaml = file("heed.yaml", """
                brokers: kafka:9092
                input-topic: tickets
                max-batch-size: 16
                max-batch-wait: 20 ms
                bounded: true
                tasks: [sentiment, summary]
                device: cpu
                summary-max-words: 60
                kafka:
                  security.protocol: SASL_SSL
                  sasl:
                    mechanism: PLAIN
                """);

        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(
                new String[] {"--config-file", yaml.toString(), "--max-batch-size", "8", "--output-topic", "tickets.out"
                });

        assertThat(options)
                .isEqualTo(EnrichmentJobOptions.builder()
                        .brokers("kafka:9092")
                        .inputTopic("tickets")
                        .outputTopic("tickets.out")
                        .set(HeedOptions.MAX_BATCH_SIZE, 8)
                        .set(HeedOptions.MAX_BATCH_WAIT, Duration.ofMillis(20))
                        .bounded(true)
                        .set(HeedOptions.TASKS, List.of(Task.SENTIMENT, Task.SUMMARY))
                        .set(HeedOptions.DEVICE, DevicePreference.CPU)
                        .set(HeedOptions.SUMMARY_MAX_WORDS, 60)
                        .kafkaProperty("security.protocol", "SASL_SSL")
                        .kafkaProperty("sasl.mechanism", "PLAIN")
                        .build());
    }

    @Test
    void aPropertiesFileSetsOptions() throws IOException {
        Path properties = file("heed.properties", """
                # a comment
                format=json
                window-tokens=128
                summary-max-words=80
                kafka.acks=all
                """);

        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(new String[] {"--config-file=" + properties});

        assertThat(options.format()).isEqualTo(InputFormat.JSON);
        assertThat(options.settings().model().windowing().windowTokens()).isEqualTo(128);
        assertThat(options.settings().model().summaryMaxWords()).isEqualTo(80);
        assertThat(options.kafkaProperties()).containsEntry("acks", "all");
    }

    @Test
    void badOptionsFilesAreRejectedNamingTheFile() throws IOException {
        Path unknown = file("unknown.yaml", "brokers: k:9092\nbatch-size: 3\n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", unknown.toString()}))
                .hasMessageContaining("Unknown option batch-size")
                .hasMessageContaining(unknown.toString());

        Path invalidValue = file("invalid.yaml", "max-batch-size: many\n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", invalidValue.toString()}))
                .hasMessageContaining("for max-batch-size");

        Path list = file("list.yaml", "- brokers\n- k:9092\n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", list.toString()}))
                .hasMessageContaining("must hold a map");

        Path broken = file("broken.yaml", "brokers: [k:9092\n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", broken.toString()}))
                .hasMessageContaining("not valid YAML");

        Path nested = file("nested.yaml", "config-file: other.yaml\n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", nested.toString()}))
                .hasMessageContaining("cannot include other files");

        Path empty = file("empty.yaml", "kafka: \n");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", empty.toString()}))
                .hasMessageContaining("kafka");

        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> EnrichmentJobOptions.fromArgs(new String[] {"--config-file", missing.toString()}))
                .hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString());
    }
}
