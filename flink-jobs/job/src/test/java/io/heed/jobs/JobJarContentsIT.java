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
        System.out.printf("Job jar %s: %,d bytes, %d entries%n", jar.getFileName(), Files.size(jar), entries.size());
        assertThat(entries)
                .as("trainers and evaluations")
                .noneMatch(e -> e.startsWith("io/heed/models/")
                        && (e.contains("Trainer") || e.contains("Evaluation") || e.contains("Corpus")));
    }
}
