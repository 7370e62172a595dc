/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * docs/BENCHMARKS.md as the benchmark writes it ({@code --out}): what the rows mean, the command and options of the
 * run, and the run's output exactly as printed. Nothing in it is copied or computed by hand, so regenerating it is the
 * only way to change it.
 */
final class BenchmarkDocument {
    private static final String COMMAND = "mvn -B -Pbenchmark -DskipTests verify";

    private static final String ROWS = """
            What each row is (all on the same texts, parallelism 1):

            - **encoder only**: the bundled encoder's forward pass alone (no heads, no Flink), with the raw engine's
              tokenising, sorting, batching and threads: the ceiling the model itself sets on this machine.
            - **raw engine**: `TextModel` called directly on the texts sorted by length, in batches of at most 64 texts
              and 2,048 padded tokens, as many batches at once as the model runs in a TaskManager
              (`concurrent-batches`, two here), each text tokenised once (for sorting and for the model) as Heed
              does; tokenising and sorting are timed. No Flink.
            - **naive map**: a Flink map that loads one model per task (so three encoders) and calls each once per
              record: what a user writes first.
            - **Heed operator**: `HeedEnrichment.enrich` in a MiniCluster between a generator source and a discarding
              sink, sentiment only and all three tasks (and all three with the frozen and the bge-small weights).
            - **Heed full job**: the production job: in-process KRaft broker, Kafka source, Heed, exactly-once Kafka
              sinks (checkpoints every second), timed by a `read_committed` consumer; in the interleaved rounds also
              at the job's default checkpoint interval (10 s: the few seconds of the sample mix then take no checkpoint
              while they are timed).

            Throughput is steady state: the first tenth of the arrivals is skipped (job start, model load, first
            batch). Latency is end to end, from creation at the source (or the producer) to arrival at the sink (or the
            committed consumer), with the input limited to half of that design's own throughput. Memory is the peak
            resident set of a fresh JVM running the Heed operator with 1 and with 4 slots in one TaskManager. The
            machine is small and may be shared: compare ratios within one run, not figures across runs.

            The ratios are not taken from the single pass of the first table: the designs behind them run again on
            the sample mix in interleaved rounds (every design once per round), and each ratio is the median of its
            per-round ratios, printed with their range. On this machine one design's records/s drifts by a quarter
            from minute to minute; within a round both sides of a ratio meet the same spell.
            """;

    private BenchmarkDocument() {}

    static void write(Path file, Map<String, String> options, String printed) throws IOException {
        String args = options.entrySet().stream()
                .filter(e -> !e.getKey().equals("out"))
                .map(e -> "--" + e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(" "));
        String document = "# Heed benchmarks\n\n"
                + "Written by the benchmark itself on " + LocalDate.now(ZoneOffset.UTC)
                + "; every figure below is its output, as printed. Regenerate with:\n\n"
                + "```\n" + COMMAND + " -Dbenchmark.args=\"--out docs/BENCHMARKS.md\"\n```\n\n"
                + "Options of this run: `" + args + "`.\n\n"
                + ROWS + "\n"
                + printed.strip() + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, document, StandardCharsets.UTF_8);
    }
}
