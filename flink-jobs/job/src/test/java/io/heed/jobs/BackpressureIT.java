/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.jobs.config.EnrichmentJobOptions;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.jobs.embedded.LocalFlinkConfig;
import io.heed.jobs.embedded.SampleTexts;
import io.heed.operators.EnrichmentSettings;
import io.heed.operators.HeedEnrichment;
import io.heed.operators.RawRecord;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import io.heed.schemas.TextEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back-pressure end to end: a source of {@value #RECORDS} records, Heed with at most 2 batches in flight, and a sink
 * clearly slower than the model ({@value #SINK_SLEEP_MS} ms per record, 50 records/s, against ~150-300 records/s of
 * the int8 encoder with sentiment on 2 cores, and still ~70 records/s when other work shares those cores), so Flink's
 * own back-pressure metric must show the Heed task waiting. Every record arrives exactly once, the operator's
 * {@code heed.inFlightBatches} gauge (read through an in-JVM metric reporter) never exceeds the cap, and the heap stays
 * bounded because the slow sink holds back the operator and the source instead of letting records pile up.
 *
 * <p>The operator is configured exactly as the Kafka job would be from command-line options that carry SASL/SSL
 * credentials, and the test checks that its {@code open()} log line shows none of them.
 */
class BackpressureIT {
    private static final int RECORDS = 2_400;
    private static final int MAX_IN_FLIGHT = 2;
    private static final long SINK_SLEEP_MS = 20;
    /**
     * Bound on the heap the run adds, peak "used" minus the baseline after a System.gc() before the job. What the run
     * needs: the bundled encoder's weights and the ONNX Runtime session live off-heap (native), the sentiment head is
     * ~0.1 MB of floats, the operator holds at most its length buckets (64 records each, a few short texts per
     * bucket here) plus 2 batches in flight, and the network buffers are off-heap too; the rest is MiniCluster and
     * task bookkeeping, tens of MB. "Used" also counts garbage not yet collected, which G1 lets grow to its young
     * generation size (a few hundred MB with -Xmx3g), so the bound on it is 512 MB; an operator that read the whole
     * source ahead of the slow sink, or leaked per batch, would show in the live heap (after-GC usage), bounded at
     * 128 MB; measured runs: +75 to +188 MB used (garbage included) and +3 to +9 MB live.
     */
    private static final long USED_HEAP_BOUND = 512L << 20;

    private static final long LIVE_HEAP_BOUND = 128L << 20;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(
                    LocalFlinkConfig.loopback(Path.of("target", "flink-backpressure-it"), 0)))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    /** Arrivals at the slow sink by record id (the MiniCluster runs in this JVM). */
    static final Map<String, AtomicInteger> ARRIVALS = new ConcurrentHashMap<>();

    static final AtomicInteger DEAD_LETTERS = new AtomicInteger();

    @Test
    void aSlowSinkHoldsBackTheOperatorWithoutLossOrUnboundedMemory() throws Exception {
        ARRIVALS.clear();
        DEAD_LETTERS.set(0);
        List<String> args = new ArrayList<>(List.of(KafkaCredentialsTest.credentialArgs()));
        args.addAll(List.of(
                "--encoder",
                "int8",
                "--tasks",
                "sentiment",
                "--max-in-flight-batches",
                Integer.toString(MAX_IN_FLIGHT),
                "--parallelism",
                "1"));
        EnrichmentJobOptions options = EnrichmentJobOptions.fromArgs(args.toArray(String[]::new));
        EnrichmentSettings settings = options.settings();
        assertThat(settings.maxInFlightBatches()).isEqualTo(MAX_IN_FLIGHT);

        List<String> texts = new ArrayList<>();
        for (TextEvent event : SampleTexts.load()) {
            texts.add(event.getText());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataGeneratorSource<RawRecord> source =
                new DataGeneratorSource<>(new Generator(texts), RECORDS, TypeInformation.of(RawRecord.class));
        HeedEnrichment.Result result = HeedEnrichment.enrich(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated texts"), settings);
        // Its own task (no chaining), so the slow sink back-pressures the operator over the network stack.
        result.enriched().sinkTo(new SlowSink()).name("slow sink").disableChaining();
        result.deadLetters().sinkTo(new DeadLetterCounter()).name("dead letters");

        LogCapture log = LogCapture.attach();
        Sampler sampler;
        long start = System.nanoTime();
        try {
            System.gc();
            sampler = new Sampler();
            JobClient job = env.executeAsync("Heed back-pressure IT");
            sampler.start(job.getJobID());
            job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
            sampler.stop();
        } finally {
            log.detach();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(
                "BackpressureIT: %d records in %.1f s (sink %d ms/record); max inFlightBatches %d (cap %d),"
                        + " max bufferedRecords %d, Heed task max backPressuredTimeMsPerSecond %d, max records inside (operator in - sink out) %d; heap used:"
                        + " baseline %d MB, peak %d MB (+%d MB); live heap after GC: baseline %d MB, peak %d MB (+%d MB);"
                        + " %d samples%n",
                RECORDS,
                seconds,
                SINK_SLEEP_MS,
                sampler.maxInFlight.get(),
                MAX_IN_FLIGHT,
                sampler.maxBuffered.get(),
                sampler.maxBackPressuredMs.get(),
                sampler.maxInside.get(),
                mb(sampler.baselineUsed),
                mb(sampler.peakUsed.get()),
                mb(sampler.peakUsed.get() - sampler.baselineUsed),
                mb(sampler.baselineLive),
                mb(sampler.peakLive.get()),
                mb(sampler.peakLive.get() - sampler.baselineLive),
                sampler.samples.get());

        // No loss, no duplicates.
        assertThat(DEAD_LETTERS.get()).isZero();
        assertThat(ARRIVALS).hasSize(RECORDS);
        assertThat(ARRIVALS.values())
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        // The gauge was read while the job ran, reached at least one batch in flight, and never passed the cap.
        assertThat(sampler.gaugeReads.get()).as("inFlightBatches gauge reads").isGreaterThan(10);
        assertThat(sampler.maxInFlight.get()).isBetween(1, MAX_IN_FLIGHT);
        // Back-pressure reached the operator's task: Flink measured it waiting for output buffers.
        assertThat(sampler.maxBackPressuredMs.get())
                .as("Heed task backPressuredTimeMsPerSecond")
                .isGreaterThan(0);
        // Bounded memory.
        assertThat(sampler.peakUsed.get() - sampler.baselineUsed)
                .as("heap used added by the run")
                .isLessThan(USED_HEAP_BOUND);
        assertThat(sampler.peakLive.get() - sampler.baselineLive)
                .as("live heap added by the run")
                .isLessThan(LIVE_HEAP_BOUND);
        // Credentials of --kafka.* never appear in the operator's open() log line.
        assertThat(log.lines).anySatisfy(line -> assertThat(line).startsWith("Heed enrichment open:"));
        assertThat(log.lines)
                .noneSatisfy(line -> assertThat(line)
                        .containsAnyOf(
                                KafkaCredentialsTest.JAAS_SECRET,
                                KafkaCredentialsTest.KEYSTORE_SECRET,
                                KafkaCredentialsTest.TRUSTSTORE_SECRET));
        assertThat(seconds).isLessThan(60);
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }

    /** Samples the operator's gauges every 5 ms and the heap every 50 ms while the job runs. */
    private static final class Sampler {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long baselineUsed = memory.getHeapMemoryUsage().getUsed();
        final long baselineLive = liveHeap();
        final AtomicLong peakUsed = new AtomicLong(baselineUsed);
        final AtomicLong peakLive = new AtomicLong(baselineLive);
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger maxBuffered = new AtomicInteger();
        final AtomicLong maxInside = new AtomicLong();
        final AtomicInteger gaugeReads = new AtomicInteger();
        final AtomicLong maxBackPressuredMs = new AtomicLong();
        final AtomicInteger samples = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;

        void start(JobID job) {
            thread = new Thread(() -> run(job), "backpressure-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        private void run(JobID job) {
            long nextHeap = 0;
            while (running.get()) {
                Gauge<?> inFlight = gauge(job, ".*heed\\.inFlightBatches");
                Gauge<?> buffered = gauge(job, ".*heed\\.bufferedRecords");
                Metric recordsIn =
                        REPORTER.findMetric(job, ".*heed\\.recordsIn").orElse(null);
                if (inFlight != null) {
                    maxInFlight.accumulateAndGet(((Number) inFlight.getValue()).intValue(), Math::max);
                    gaugeReads.incrementAndGet();
                }
                if (buffered != null) {
                    maxBuffered.accumulateAndGet(((Number) buffered.getValue()).intValue(), Math::max);
                }
                for (Metric metric : REPORTER.findMetrics(job, ".*Heed enrichment.*backPressuredTimeMsPerSecond")
                        .values()) {
                    if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number value) {
                        maxBackPressuredMs.accumulateAndGet(value.longValue(), Math::max);
                    }
                }
                if (recordsIn instanceof Counter counter) {
                    maxInside.accumulateAndGet(counter.getCount() - arrivals(), Math::max);
                }
                long now = System.nanoTime();
                if (now >= nextHeap) {
                    nextHeap = now + 50_000_000L;
                    peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    peakLive.accumulateAndGet(liveHeap(), Math::max);
                    samples.incrementAndGet();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static long arrivals() {
            return ARRIVALS.size();
        }

        private static Gauge<?> gauge(JobID job, String pattern) {
            return REPORTER.findMetric(job, pattern)
                    .filter(m -> m instanceof Gauge)
                    .map(m -> (Gauge<?>) m)
                    .orElse(null);
        }

        /** Heap in use right after the last GC of each heap pool: the live set, without uncollected garbage. */
        private static long liveHeap() {
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            return live;
        }
    }

    /** Texts from the bundled samples, one record per index, id {@code bp-<index>}. */
    private static final class Generator implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final List<String> texts;

        Generator(List<String> texts) {
            this.texts = List.copyOf(texts);
        }

        @Override
        public RawRecord map(Long index) {
            return RawRecord.of(AvroBytes.write(TextEvent.newBuilder()
                    .setId("bp-" + index)
                    .setText(texts.get((int) (index % texts.size())))
                    .setSource("backpressure-it")
                    .build()));
        }
    }

    /** Sleeps per record, then counts it by id. */
    private static final class SlowSink implements Sink<EnrichedText> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<EnrichedText> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(EnrichedText element, Context context) throws InterruptedException {
                    Thread.sleep(SINK_SLEEP_MS);
                    ARRIVALS.computeIfAbsent(element.getId(), id -> new AtomicInteger())
                            .incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    private static final class DeadLetterCounter implements Sink<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(DeadLetter element, Context context) {
                    DEAD_LETTERS.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Captures the INFO lines of the operator base class's logger (which EnrichmentOperator logs through). */
    private static final class LogCapture extends AbstractAppender {
        private static final List<String> LOGGERS = List.of(AbstractStreamOperator.class.getName(), "io.heed");
        final List<String> lines = new CopyOnWriteArrayList<>();

        private LogCapture() {
            super("heed-log-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        static LogCapture attach() {
            LogCapture capture = new LogCapture();
            capture.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            org.apache.logging.log4j.core.config.Configuration config = context.getConfiguration();
            config.addAppender(capture);
            for (String name : LOGGERS) {
                LoggerConfig logger = new LoggerConfig(name, Level.INFO, false);
                logger.addAppender(capture, Level.INFO, null);
                config.addLogger(name, logger);
            }
            context.updateLoggers();
            return capture;
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }

        void detach() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            for (String name : LOGGERS) {
                context.getConfiguration().removeLogger(name);
            }
            context.updateLoggers();
            stop();
        }
    }
}
