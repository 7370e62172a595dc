/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning with {@code isolation.level=read_committed}: only what Heed's exactly-once sinks
 * have committed is visible, as downstream consumers see it.
 */
public final class CommittedReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    public CommittedReader(String bootstrapServers, List<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "heed-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
    }

    /**
     * Polls until {@code done} says so or {@code timeout} passes, handing each record's topic and value to
     * {@code handler}.
     *
     * @return whether {@code done} became true before the timeout
     */
    public boolean readUntil(BooleanSupplier done, Duration timeout, BiConsumer<String, byte[]> handler) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                handler.accept(record.topic(), record.value());
            }
        }
        return true;
    }

    /** Committed end offsets summed per topic: how many records a reader will see in total. */
    public Map<String, Long> endOffsets() {
        Map<String, Long> totals = new java.util.TreeMap<>();
        consumer.endOffsets(consumer.assignment()).forEach((tp, end) -> totals.merge(tp.topic(), end, Long::sum));
        return totals;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
