/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.operators.HeedEnrichment;
import io.heed.operators.RawRecord;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Kafka → Heed → Kafka: reads {@code TextEvent}s, enriches them, and writes {@code EnrichedText} and
 * {@code DeadLetter} records, both with exactly-once Kafka transactions. Entry point for {@code flink run}.
 */
@PublicEvolving
public final class EnrichmentJob {
    /**
     * Kafka transactions are committed on checkpoint completion; the broker caps their timeout at 15 minutes by
     * default, below Flink's own default of one hour, so the sink would be rejected without this.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private EnrichmentJob() {}

    public static void main(String[] args) throws Exception {
        EnrichmentJobOptions options;
        try {
            options = EnrichmentJobOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.helpRequested()) {
            System.out.println(EnrichmentJobOptions.help());
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, options);
        env.execute("Heed enrichment: " + options.inputTopic() + " -> " + options.outputTopic());
    }

    /** Adds the enrichment pipeline for {@code options} to {@code env}. */
    public static void build(StreamExecutionEnvironment env, EnrichmentJobOptions options) {
        env.setParallelism(options.parallelism());
        env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);

        DataStream<RawRecord> input = env.fromSource(
                        source(options), WatermarkStrategy.noWatermarks(), "Kafka " + options.inputTopic())
                .uid("heed-kafka-source");
        HeedEnrichment.Result result = HeedEnrichment.enrich(input, options.settings());
        result.enriched()
                .sinkTo(sink(
                        options,
                        options.outputTopic(),
                        "enriched",
                        AvroSerializationSchema.forSpecific(EnrichedText.class),
                        EnrichedText::getId))
                .name("Kafka " + options.outputTopic())
                .uid("heed-kafka-enriched-sink");
        result.deadLetters()
                .sinkTo(sink(
                        options,
                        options.deadLetterTopic(),
                        "dead-letter",
                        AvroSerializationSchema.forSpecific(DeadLetter.class),
                        DeadLetter::getId))
                .name("Kafka " + options.deadLetterTopic())
                .uid("heed-kafka-dead-letter-sink");
    }

    /** Kafka client properties of the source: every --kafka.* property (credentials included) plus defaults. */
    static Properties sourceProperties(EnrichmentJobOptions options) {
        Properties properties = new Properties();
        properties.putAll(options.kafkaProperties());
        // Never enrich records of aborted upstream transactions.
        properties.putIfAbsent("isolation.level", "read_committed");
        return properties;
    }

    /** Kafka producer properties of both sinks: every --kafka.* property (credentials included) plus defaults. */
    static Properties sinkProperties(EnrichmentJobOptions options) {
        Properties properties = new Properties();
        properties.putAll(options.kafkaProperties());
        properties.putIfAbsent("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        // Records up to --max-record-bytes must get past the producer's own request limit (default 1 MiB).
        properties.putIfAbsent(
                "max.request.size",
                Integer.toString(Math.max(1_048_576, options.settings().maxRecordBytes() + 64 * 1024)));
        return properties;
    }

    static KafkaSource<RawRecord> source(EnrichmentJobOptions options) {
        Properties properties = sourceProperties(options);
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(options.brokers())
                .setTopics(options.inputTopic())
                .setGroupId(options.groupId())
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(properties)
                .setStartingOffsets(
                        switch (options.startingOffsets()) {
                            case EARLIEST -> OffsetsInitializer.earliest();
                            case LATEST -> OffsetsInitializer.latest();
                            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                        });
        if (options.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    static <T> KafkaSink<T> sink(
            EnrichmentJobOptions options,
            String topic,
            String name,
            SerializationSchema<T> valueSchema,
            SerializableKey<T> key) {
        Properties properties = sinkProperties(options);
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.brokers())
                .setKafkaProducerConfig(properties)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(options.transactionalIdPrefix() + "-" + name)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(value -> {
                            String id = key.apply(value);
                            return id == null ? null : id.getBytes(StandardCharsets.UTF_8);
                        })
                        .setValueSerializationSchema(valueSchema)
                        .build())
                .build();
    }

    /** The record id used as Kafka key, so all versions of one id land in one partition. */
    @FunctionalInterface
    interface SerializableKey<T> extends Function<T, String>, java.io.Serializable {}
}
