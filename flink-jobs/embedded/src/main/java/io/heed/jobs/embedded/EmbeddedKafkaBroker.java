/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka 4.2 cluster in KRaft mode (one process acting as broker and controller), for the
 * demo and the tests. It listens on 127.0.0.1 only, on free ports, and keeps its data in a temporary directory that
 * {@link #close()} deletes.
 *
 * <p>The configuration is the smallest one under which the exactly-once Kafka sink works on one node: the
 * transaction-state and offsets topics need replication factor 1 and min ISR 1, or the first transactional producer
 * waits forever for a coordinator.
 *
 * <p>A fatal metadata fault inside the broker (for example, its directory removed under it) halts the JVM, as it does
 * in a real Kafka process: {@code KafkaRaftServer} always installs Kafka's process-terminating fault handler. For the
 * same reason there is no shutdown hook that deletes the directory of a broker left open: removing it under a running
 * broker would turn a clean JVM exit into a halt with status 1. Close the broker, or point
 * {@link Builder#tempDirParent(Path)} under {@code target/}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String LOOPBACK = "127.0.0.1";
    /** Another process may take a free port between our probe and the broker's bind; a fresh pair usually works. */
    private static final int START_ATTEMPTS = 3;

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** Set by this class so that the broker is reachable and formatted as one node; callers may not override them. */
    private static final Set<String> RESERVED_KEYS = Set.of(
            "node.id",
            "process.roles",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "controller.listener.names",
            "inter.broker.listener.name",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "log.dir",
            "log.dirs",
            "metadata.log.dir");

    private final KafkaConfig config;
    private KafkaRaftServer server;
    private final Path logDir;
    private final String bootstrapServers;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaConfig config, KafkaRaftServer server, Path logDir, int brokerPort) {
        this.config = config;
        this.server = server;
        this.logDir = logDir;
        this.bootstrapServers = LOOPBACK + ":" + brokerPort;
    }

    /** Starts a broker with the default configuration. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients of this broker, such as {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Sends {@code payloads} to {@code topic} as values without keys, in order, with {@code acks=all}, and returns
     * where each one landed; a record the broker refused fails the call.
     */
    public List<RecordMetadata> produce(String topic, List<byte[]> payloads) throws InterruptedException {
        return produce(topic, payloads, Map.of());
    }

    /** {@link #produce(String, List)} with extra producer settings, e.g. a larger {@code max.request.size}. */
    public List<RecordMetadata> produce(String topic, List<byte[]> payloads, Map<String, Object> producerSettings)
            throws InterruptedException {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight. Right after a topic is created the broker can still answer NOT_LEADER_OR_FOLLOWER
        // for a partition whose leadership it has not applied yet; with several requests in flight, the idempotent
        // producer then had later batches of that partition rejected as OUT_OF_ORDER_SEQUENCE_NUMBER and retried them
        // until the delivery timeout (seen in CI and in the benchmark on a loaded machine). In order, a retried first
        // batch simply goes first.
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        properties.putAll(producerSettings);
        List<Future<RecordMetadata>> sends = new ArrayList<>(payloads.size());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] payload : payloads) {
                sends.add(producer.send(new ProducerRecord<>(topic, payload)));
            }
            producer.flush();
        }
        List<RecordMetadata> metadata = new ArrayList<>(sends.size());
        for (Future<RecordMetadata> send : sends) {
            try {
                metadata.add(send.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "Kafka broker at " + bootstrapServers + " refused a record for " + topic, e.getCause());
            }
        }
        return metadata;
    }

    /**
     * Creates topics with replication factor 1 and returns once every partition has a leader, so that a client
     * started right after does not race the metadata propagation.
     *
     * @throws IllegalStateException if a topic exists already or the broker does not answer in time
     */
    public void createTopics(int partitions, String... names) {
        if (closed) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " is closed");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        List<String> topics = List.copyOf(Arrays.asList(names));
        if (topics.isEmpty()) {
            return;
        }
        List<NewTopic> newTopics = topics.stream()
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toList();
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(newTopics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(admin, topics, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Could not create topics " + topics + ": " + cause.getMessage(), cause);
        }
    }

    /** Shuts the broker down cleanly and deletes its directory. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteQuietly(logDir);
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }

    /**
     * Stops the broker cleanly, keeps it down for {@code downtime}, and starts it again on the same ports and data
     * directory, so that clients see an outage and then the same broker with its topics, offsets and transactions, as
     * after a broker restart in production. Blocks until the broker serves again.
     */
    public synchronized void restart(Duration downtime) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker at {} stopped for a restart; down for {} ms", bootstrapServers, downtime.toMillis());
        Thread.sleep(downtime.toMillis());
        long startNanos = System.nanoTime();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.info(
                "Kafka broker at {} restarted in {} ms",
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The broker's data directory; visible for tests that check it is removed. */
    Path logDir() {
        return logDir;
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
        return props;
    }

    private static void awaitLeaders(Admin admin, List<String> topics, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics)
                        .allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException("partitions of " + topics + " have no leader yet");
            }
            Thread.sleep(20);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete Kafka log directory {}", dir, e);
        }
    }

    /** Collects broker settings; {@link #start()} formats fresh storage and starts the broker. */
    public static final class Builder {
        private final Map<String, String> overrides = new TreeMap<>();
        private Path tempDirParent;
        private boolean quietServerLogs = true;

        private Builder() {}

        /**
         * Sets or overrides one broker property, e.g. {@code transaction.max.timeout.ms}. Listener, node and
         * directory settings belong to this class and are rejected.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (RESERVED_KEYS.contains(key)) {
                throw new IllegalArgumentException("Broker property " + key + " is set by EmbeddedKafkaBroker");
            }
            overrides.put(key, value);
            return this;
        }

        /** Where to create the temporary data directory (e.g. under {@code target/}); the system default if unset. */
        public Builder tempDirParent(Path parent) {
            this.tempDirParent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * Whether to lower the broker's own loggers to WARN (default true) unless the logging configuration names
         * them. At INFO a KRaft broker logs hundreds of lines at startup, which bury the demo's and the tests' output.
         */
        public Builder quietServerLogs(boolean quiet) {
            this.quietServerLogs = quiet;
            return this;
        }

        public EmbeddedKafkaBroker start() {
            if (quietServerLogs) {
                BrokerLogLevels.quietServerLoggers();
            }
            RuntimeException lastBindFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce();
                } catch (RuntimeException e) {
                    if (!causedByBind(e)) {
                        throw e;
                    }
                    LOG.info("Kafka broker port was taken before it could bind (attempt {}), retrying", attempt);
                    lastBindFailure = e;
                }
            }
            throw lastBindFailure;
        }

        private EmbeddedKafkaBroker startOnce() {
            long startNanos = System.nanoTime();
            int[] ports = freeLoopbackPorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Path logDir = createLogDir();
            KafkaRaftServer server = null;
            KafkaConfig config;
            try {
                config = KafkaConfig.fromProps(brokerProperties(logDir, brokerPort, controllerPort), false);
                formatStorage(logDir);
                server = new KafkaRaftServer(config, Time.SYSTEM);
                // Returns once the broker has registered with the controller and is unfenced, i.e. serving.
                server.startup();
            } catch (RuntimeException | Error e) {
                stopAfterFailedStart(server, e);
                deleteQuietly(logDir);
                throw e;
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config, server, logDir, brokerPort);
            LOG.info(
                    "Kafka broker started at {} in {} ms",
                    broker.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return broker;
        }

        private Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
            Properties props = new Properties();
            // One process plays both KRaft roles; the controller quorum is this node alone (static voter set).
            props.setProperty("node.id", String.valueOf(NODE_ID));
            props.setProperty("process.roles", "broker,controller");
            props.setProperty(
                    "listeners",
                    BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + LOOPBACK
                            + ":" + controllerPort);
            props.setProperty("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
            props.setProperty(
                    "listener.security.protocol.map",
                    BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
            props.setProperty("inter.broker.listener.name", BROKER_LISTENER);
            props.setProperty("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
            props.setProperty("log.dirs", logDir.toString());

            // Internal topics default to replication factor 3, which one node can never satisfy: without these the
            // group and transaction coordinators never come up and transactional producers hang.
            props.setProperty("offsets.topic.replication.factor", "1");
            props.setProperty("transaction.state.log.replication.factor", "1");
            props.setProperty("transaction.state.log.min.isr", "1");
            props.setProperty("share.coordinator.state.topic.replication.factor", "1");
            props.setProperty("share.coordinator.state.topic.min.isr", "1");
            props.setProperty("default.replication.factor", "1");
            props.setProperty("min.insync.replicas", "1");
            // 50 partitions each by default: creating them on first use costs seconds and buys nothing on one node.
            props.setProperty("offsets.topic.num.partitions", "1");
            props.setProperty("transaction.state.log.num.partitions", "1");
            props.setProperty("share.coordinator.state.topic.num.partitions", "1");
            // Consumers in tests join alone; the default 3 s delay only slows the first poll.
            props.setProperty("group.initial.rebalance.delay.ms", "0");
            // Topics must be created on purpose (createTopics); a typo should fail, not create a new topic.
            props.setProperty("auto.create.topics.enable", "false");
            // Upper bound for a producer's transaction.timeout.ms. Flink's sink defaults to 1 h, so the job sets its
            // own timeout at or below this 15 min.
            props.setProperty(
                    "transaction.max.timeout.ms",
                    String.valueOf(Duration.ofMinutes(15).toMillis()));
            // The log cleaner allocates its dedupe buffer (128 MiB by default) up front; compacted internal topics
            // of a test broker need far less.
            props.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
            // Defaults size a production broker (8 I/O, 3 network threads); one node on a laptop needs fewer.
            props.setProperty("num.io.threads", "2");
            props.setProperty("num.network.threads", "2");
            props.setProperty("background.threads", "2");
            // Fail instead of waiting forever if the broker cannot catch up with its own controller.
            props.setProperty("server.max.startup.time.ms", "60000");
            props.putAll(overrides);
            return props;
        }

        /** What {@code kafka-storage.sh format} does: writes meta.properties and the bootstrap metadata snapshot. */
        private static void formatStorage(Path logDir) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                new Formatter()
                        .setPrintStream(printStream)
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
            }
            LOG.debug(
                    "Kafka storage formatted: {}",
                    output.toString(StandardCharsets.UTF_8).trim());
        }

        private Path createLogDir() {
            try {
                return tempDirParent == null
                        ? Files.createTempDirectory("heed-kafka-")
                        : Files.createTempDirectory(Files.createDirectories(tempDirParent), "heed-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a Kafka log directory", e);
            }
        }

        private static void stopAfterFailedStart(KafkaRaftServer server, Throwable failure) {
            if (server == null) {
                return;
            }
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }

        /**
         * Probes free ports by binding to port 0 on loopback. The sockets are all held until every port is chosen so
         * the same port is not returned twice, then released for the broker to bind.
         */
        private static int[] freeLoopbackPorts(int count) {
            ServerSocket[] sockets = new ServerSocket[count];
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    sockets[i] = new ServerSocket();
                    sockets[i].setReuseAddress(true);
                    sockets[i].bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                    ports[i] = sockets[i].getLocalPort();
                }
                return ports;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not find a free loopback port", e);
            } finally {
                for (ServerSocket socket : sockets) {
                    Utils.closeQuietly(socket, "port probe");
                }
            }
        }

        private static boolean causedByBind(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return true;
                }
            }
            return false;
        }
    }
}
