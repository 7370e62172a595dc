/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.demo;

import io.heed.jobs.EnrichmentJob;
import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.CommittedReader;
import io.heed.jobs.embedded.EmbeddedKafkaBroker;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole pipeline on one machine: an in-process KRaft broker on loopback, the sample texts produced to it (plus a
 * few broken records to show the dead-letter topic), the enrichment job on a local Flink MiniCluster with its Web UI,
 * and every enriched record printed as it is committed. Ends with counts and throughput, and exits 0 when every
 * input record is accounted for.
 *
 * <p>Job options (see {@code --help}) may be passed to change batching or the encoder; brokers and topics are the
 * demo's own.
 */
public final class EmbeddedDemo {
    private static final int TEXT_WIDTH = 70;
    private static final String INDENT = " ".repeat(26);

    private EmbeddedDemo() {}

    public static void main(String[] args) throws Exception {
        EnrichmentJobOptions parsed = EnrichmentJobOptions.fromArgs(args);
        if (parsed.helpRequested()) {
            System.out.println(EnrichmentJobOptions.help());
            return;
        }
        int exitCode = run(parsed);
        System.exit(exitCode);
    }

    static int run(EnrichmentJobOptions parsed) throws Exception {
        Path workDir = Files.createTempDirectory("heed-demo-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            EnrichmentJobOptions options = parsed.toBuilder()
                    .brokers(broker.bootstrapServers())
                    .bounded(true)
                    .checkpointInterval(Duration.ofSeconds(1))
                    .build();
            broker.createTopics(1, options.inputTopic(), options.outputTopic(), options.deadLetterTopic());
            int produced = produce(broker, options.inputTopic());
            System.out.printf(
                    "Heed demo: Kafka %s (in-process KRaft), produced %d records to '%s'%n",
                    broker.bootstrapServers(), produced, options.inputTopic());

            int restPort = freePort();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                    LocalFlinkConfig.loopback(workDir, restPort));
            EnrichmentJob.build(env, options);
            long start = System.nanoTime();
            JobClient job = env.executeAsync("Heed demo");
            System.out.printf(
                    "Flink MiniCluster running job %s; Web UI at http://127.0.0.1:%d%n%n", job.getJobID(), restPort);

            AtomicInteger enriched = new AtomicInteger();
            AtomicInteger deadLettered = new AtomicInteger();
            AtomicLong firstArrival = new AtomicLong();
            AtomicLong lastArrival = new AtomicLong();
            try (CommittedReader reader = new CommittedReader(
                    broker.bootstrapServers(), List.of(options.outputTopic(), options.deadLetterTopic()))) {
                boolean complete = reader.readUntil(
                        () -> enriched.get() + deadLettered.get() >= produced,
                        Duration.ofMinutes(5),
                        (topic, value) -> {
                            long now = System.nanoTime();
                            firstArrival.compareAndSet(0, now);
                            lastArrival.set(now);
                            if (topic.equals(options.outputTopic())) {
                                enriched.incrementAndGet();
                                System.out.println(describe(AvroBytes.read(value, EnrichedText.class)));
                            } else {
                                deadLettered.incrementAndGet();
                                System.out.println(describe(AvroBytes.read(value, DeadLetter.class)));
                            }
                        });
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                double steadySeconds = Math.max((lastArrival.get() - firstArrival.get()) / 1e9, 1e-3);
                System.out.printf(
                        "%nHeed demo: %d in, %d enriched, %d dead-lettered%s%n",
                        produced, enriched.get(), deadLettered.get(), complete ? "" : " (INCOMPLETE: timed out)");
                System.out.printf(
                        Locale.ROOT,
                        "Throughput: %.1f records/s end to end (%d records in %.1f s, job start "
                                + "and model load included); %.1f records/s between first and last committed output%n",
                        produced / seconds,
                        produced,
                        seconds,
                        (enriched.get() + deadLettered.get()) / steadySeconds);
                return complete && enriched.get() + deadLettered.get() == produced ? 0 : 1;
            }
        } finally {
            deleteQuietly(workDir);
        }
    }

    /** The sample texts as Avro, then three broken records that must come out on the dead-letter topic. */
    private static int produce(EmbeddedKafkaBroker broker, String topic) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (TextEvent event : SampleTexts.load()) {
            payloads.add(AvroBytes.write(event));
        }
        payloads.add(AvroBytes.write(
                TextEvent.newBuilder().setId("broken-blank").setText("   ").build()));
        payloads.add(AvroBytes.write(
                TextEvent.newBuilder().setId("broken-null").setText(null).build()));
        payloads.add("this is not Avro".getBytes(StandardCharsets.UTF_8));
        broker.produce(topic, payloads);
        return payloads.size();
    }

    static String describe(EnrichedText record) {
        String sentiment = record.getSentiment() == null
                ? "-"
                : String.format(
                        Locale.ROOT,
                        "%-8s %.2f",
                        record.getSentiment().getLabel(),
                        record.getSentiment().getScore());
        StringBuilder line = new StringBuilder(
                String.format(Locale.ROOT, "%-10s %s  %s", record.getId(), sentiment, abbreviate(record.getText())));
        if (!record.getEntities().isEmpty()) {
            line.append(System.lineSeparator())
                    .append(INDENT)
                    .append("entities: ")
                    .append(record.getEntities().stream()
                            .map(e -> e.getText() + " (" + e.getType() + ")")
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        // A summary is only news when it is shorter than the text itself.
        if (record.getSummary() != null
                && record.getSummary().getText().length()
                        < record.getText().strip().length()) {
            line.append(System.lineSeparator())
                    .append(INDENT)
                    .append("summary:  ")
                    .append(abbreviate(record.getSummary().getText(), 2 * TEXT_WIDTH));
        }
        return line.toString();
    }

    static String describe(DeadLetter record) {
        return String.format(
                Locale.ROOT,
                "%-10s DEAD-LETTER %s at %s: %s",
                record.getId() == null ? "(no id)" : record.getId(),
                record.getReason(),
                record.getStage(),
                abbreviate(record.getMessage()));
    }

    private static String abbreviate(String text) {
        return abbreviate(text, TEXT_WIDTH);
    }

    private static String abbreviate(String text, int width) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 1) + "…";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
