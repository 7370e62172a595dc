/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void bindsLoopbackOnly() {
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void committedTransactionIsReadCommittedInOrder() {
        broker.createTopics(1, "committed");
        List<String> sent = IntStream.range(0, 100).mapToObj(i -> "value-" + i).toList();

        inTransaction(
                "tx-committed",
                producer -> sent.forEach(v -> producer.send(new ProducerRecord<>("committed", v))),
                true);

        assertThat(readAll("committed", "read_committed")).containsExactlyElementsOf(sent);
    }

    @Test
    void abortedTransactionIsInvisibleToReadCommitted() {
        broker.createTopics(1, "aborted");
        List<String> aborted =
                IntStream.range(0, 10).mapToObj(i -> "aborted-" + i).toList();
        List<String> committed =
                IntStream.range(0, 5).mapToObj(i -> "committed-" + i).toList();

        inTransaction(
                "tx-aborted",
                producer -> {
                    aborted.forEach(v -> producer.send(new ProducerRecord<>("aborted", v)));
                    producer.flush(); // the records reach the log before the abort, so there is something to hide
                },
                false);
        inTransaction(
                "tx-aborted",
                producer -> committed.forEach(v -> producer.send(new ProducerRecord<>("aborted", v))),
                true);

        assertThat(readAll("aborted", "read_committed")).containsExactlyElementsOf(committed);
        // Proves the aborted records were written and that isolation, not a lost send, hid them.
        List<String> everything = new ArrayList<>(aborted);
        everything.addAll(committed);
        assertThat(readAll("aborted", "read_uncommitted")).containsExactlyElementsOf(everything);
    }

    @Test
    void createTopicsCreatesEveryPartitionAndRejectsDuplicates() throws Exception {
        broker.createTopics(3, "three-a", "three-b");

        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("three-a", "three-b"))
                    .allTopicNames()
                    .get();
            assertThat(topics.values())
                    .allSatisfy(t -> assertThat(t.partitions()).hasSize(3));
        }
        assertThatThrownBy(() -> broker.createTopics(1, "three-a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("three-a");
    }

    @Test
    void autoCreationIsOff() {
        Properties props = producerProperties();
        props.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        // A producer's metadata request asks the broker to auto-create the topic; the broker must refuse.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("never-created", "x"))
                            .get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        assertThat(topicExists("never-created")).isFalse();
    }

    @Test
    void restartKeepsTopicsCommittedDataAndTheAddressAndServesAgain(@TempDir Path parent) throws Exception {
        EmbeddedKafkaBroker own =
                EmbeddedKafkaBroker.builder().tempDirParent(parent).start();
        try {
            own.createTopics(1, "survives");
            String before = own.bootstrapServers();
            own.produce("survives", List.of(bytes("one"), bytes("two")));

            own.restart(Duration.ofMillis(500));

            assertThat(own.bootstrapServers()).isEqualTo(before);
            own.produce("survives", List.of(bytes("three")));
            List<String> read = new ArrayList<>();
            try (CommittedReader reader = new CommittedReader(own.bootstrapServers(), List.of("survives"))) {
                reader.readUntil(
                        () -> read.size() >= 3,
                        READ_TIMEOUT,
                        (topic, value) -> read.add(new String(value, StandardCharsets.UTF_8)));
            }
            assertThat(read).containsExactly("one", "two", "three");
        } finally {
            own.close();
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void closeStopsTheBrokerAndDeletesItsDirectory(@TempDir Path parent) throws Exception {
        EmbeddedKafkaBroker own =
                EmbeddedKafkaBroker.builder().tempDirParent(parent).start();
        Path dir = own.logDir();
        String[] hostPort = own.bootstrapServers().split(":");
        assertThat(dir).isDirectory().startsWith(parent);

        own.close();
        own.close(); // idempotent

        assertThat(Files.exists(dir)).isFalse();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() ->
                            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThatThrownBy(() -> own.createTopics(1, "late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void transactionTimeoutsUpToFifteenMinutesAreAccepted() {
        Properties props = producerProperties();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-timeout-ok");
        props.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(Duration.ofMinutes(15).toMillis()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
        }

        // Flink's KafkaSink defaults to 1 h, above the broker's maximum: the job must set a lower timeout.
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-timeout-too-long");
        props.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(Duration.ofHours(1).toMillis()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            // kafka-clients 4.2 reports INVALID_TRANSACTION_TIMEOUT as a plain KafkaException ("Unexpected error in
            // InitProducerIdResponse"), not as InvalidTxnTimeoutException; the message names the broker setting.
            assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("transaction.max.timeout.ms");
        }
    }

    @Test
    void reservedBrokerPropertiesAreRejected() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }

    private static void inTransaction(
            String transactionalId, Consumer<KafkaProducer<String, String>> body, boolean commit) {
        Properties props = producerProperties();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            body.accept(producer);
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    /** Reads partition 0 from the start up to its end offset (the last stable offset under read_committed). */
    private static List<String> readAll(String topic, String isolationLevel) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(isolationLevel))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                assertThat(System.nanoTime())
                        .as("read %s up to offset %d in time", topic, end)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Properties producerProperties() {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerProperties(String isolationLevel) {
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private static boolean topicExists(String topic) {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.listTopics().names().get().contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
