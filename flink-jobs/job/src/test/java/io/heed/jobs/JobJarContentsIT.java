/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What `flink run` ships to every TaskManager is the job, the operators, the model run time and its weights: no demo,
 * benchmark, embedded broker, training or ONNX-editing classes. An integration test because the job jar exists only
 * after the package phase.
 */
class JobJarContentsIT {

    /** Entry prefixes that must not be in the job jar, with why. */
    private static final List<String> FORBIDDEN = List.of(
            "io/heed/jobs/demo/", // the embedded demo
            "io/heed/jobs/benchmark/", // the throughput benchmark
            "io/heed/jobs/embedded/", // in-process broker and MiniCluster settings
            "kafka/server/", // the Kafka broker itself (Scala package of kafka_2.13)
            "org/apache/kafka/raft/", // the broker's KRaft quorum
            "io/heed/models/tuning/", // ONNX patching and encoder fine-tuning
            "io/heed/models/QualityReport", // evaluation
            "ai/djl/pytorch/", // the training engine
            "org/tribuo/", // ONNX protobuf editing
            "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment"); // Flink is provided

    @Test
    void theJobJarHoldsTheJobAndItsRunTimeOnly() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-job.jar in target/: run the package phase first"));
        }
        List<String> entries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries)
                .contains(
                        "io/heed/jobs/EnrichmentJob.class",
                        "io/heed/operators/HeedEnrichment.class",
                        "io/heed/models/TextModel.class",
                        "all-minilm-l6-v2-q-heed-tuned.onnx",
                        "io/heed/models/sentiment/sentiment-head-tuned.bin");
        for (String prefix : FORBIDDEN) {
            assertThat(entries).as("job jar entries under %s", prefix).noneMatch(e -> e.startsWith(prefix));
        }
        // Linux natives only (x64 and aarch64): TaskManagers run Linux.
        assertThat(entries)
                .contains(
                        "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                        "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                        "native/lib/linux-x86_64/cpu/libtokenizers.so",
                        "native/lib/linux-aarch64/cpu/libtokenizers.so")
                .noneMatch(e -> e.startsWith("ai/onnxruntime/native/win-")
                        || e.startsWith("ai/onnxruntime/native/osx-")
                        || e.startsWith("native/lib/win-")
                        || e.startsWith("native/lib/osx-")
                        || e.endsWith(".pdb"));
        // Only the graphs the defaults run (int8, tuned and stock); the fp32 ones come from lib/ when asked for.
        assertThat(entries)
                .contains("all-minilm-l6-v2-q.onnx")
                .doesNotContain("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-heed-tuned.onnx");
        System.out.printf("Job jar %s: %,d bytes, %d entries%n", jar.getFileName(), Files.size(jar), entries.size());
        assertThat(Files.size(jar)).as("job jar size in bytes").isLessThanOrEqualTo(120L * 1024 * 1024);
        assertThat(entries)
                .as("trainers and evaluations")
                .noneMatch(e -> e.startsWith("io/heed/models/")
                        && (e.contains("Trainer") || e.contains("Evaluation") || e.contains("Corpus")));
    }

    /**
     * The fp32 graphs the job jar leaves out are in target/flink-lib-fp32, for Flink's lib/: a class loader over the job
     * jar whose parent holds those jars (as Flink's user-code loader over lib/) finds both.
     */
    @Test
    void theFp32GraphsAreInTheJarsForLib() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        java.net.URL[] lib;
        try (Stream<Path> files = Files.list(Path.of("target", "flink-lib-fp32"))) {
            lib = files.map(p -> {
                        try {
                            return p.toUri().toURL();
                        } catch (java.net.MalformedURLException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toArray(java.net.URL[]::new);
        }
        assertThat(lib).hasSize(2);
        try (java.net.URLClassLoader flinkLib = new java.net.URLClassLoader(lib, null);
                java.net.URLClassLoader job = new java.net.URLClassLoader(
                        new java.net.URL[] {jar.toUri().toURL()}, flinkLib)) {
            assertThat(job.getResource("all-minilm-l6-v2.onnx")).isNotNull();
            assertThat(job.getResource("all-minilm-l6-v2-heed-tuned.onnx")).isNotNull();
        }
    }
}
