/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Peak resident memory of a fresh JVM that runs the Heed operator (all tasks) with a given number of slots in one
 * TaskManager. A fresh JVM per measurement, because a JVM never gives memory back reliably: measuring 4 slots after 1
 * in the same process would measure the first run too.
 */
final class MemoryProbe {
    private static final String RESULT_PREFIX = "PEAK_RSS_KB=";
    private static final int RECORDS_PER_SLOT = 300;

    private MemoryProbe() {}

    /** Runs the probe in a child JVM and returns its peak resident set in KB. */
    static long measure(int slots, EncoderVariant encoder) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        String logConfig = System.getProperty("log4j.configurationFile");
        if (logConfig != null) {
            command.add("-Dlog4j.configurationFile=" + logConfig);
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                MemoryProbe.class.getName(),
                Integer.toString(slots),
                encoder.name()));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long peak = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT_PREFIX)) {
                    peak = Long.parseLong(line.substring(RESULT_PREFIX.length()).strip());
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || peak < 0) {
            throw new IllegalStateException("Memory probe with " + slots + " slots failed (exit " + exit + ")");
        }
        return peak;
    }

    public static void main(String[] args) throws Exception {
        int slots = Integer.parseInt(args[0]);
        EncoderVariant encoder = EncoderVariant.valueOf(args[1]);
        ThroughputBenchmark benchmark =
                new ThroughputBenchmark(encoder, slots, Files.createTempDirectory("heed-memory-probe-"));
        // No token counts here: loading a model just to count tokens would raise the peak being measured.
        BenchmarkTexts.TextSet texts = BenchmarkTexts.sampleMix(RECORDS_PER_SLOT * slots, text -> 0);
        benchmark.flinkJob(texts, 0, benchmark.heedPipeline(EnumSet.allOf(Task.class)));
        System.out.println(RESULT_PREFIX + peakResidentKb());
        System.exit(0);
    }

    private static long peakResidentKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow(() -> new IOException("no VmHWM in /proc/self/status"));
    }
}
