/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.EncoderVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager whose home or temp directory cannot be written fails the model load at start with a message naming
 * the directory and the setting that moves it, for each of the three places the model load writes to. Each case runs
 * in a fresh JVM, because native libraries load once per JVM. The unusable directory lies under a regular file, so it
 * cannot be created even by root (file permissions would not stop root, as CI machines may run).
 */
class RunTimeDirectoriesTest {
    @TempDir
    Path dir;

    /** Loads the default model and prints "loaded"; run in a child JVM. */
    public static final class LoadModel {
        public static void main(String[] args) {
            try (TextModel model = TextModel.load(ModelSpec.builder()
                    .encoder(EncoderVariant.INT8)
                    .tasks(EnumSet.of(Task.SENTIMENT))
                    .intraOpThreads(1)
                    .build())) {
                System.out.println("loaded " + model.info().modelId());
            }
        }
    }

    private record Run(int exitCode, String output) {}

    private Run load(String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(List.of(properties));
        command.add(LoadModel.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private Path unusable() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        return file.resolve("cache");
    }

    private Path writable(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void writableDirectoriesLoad() throws Exception {
        Run run = load(
                "-Dheed.model.cache=" + writable("models"),
                "-DDJL_CACHE_DIR=" + writable("djl"),
                "-Djava.io.tmpdir=" + writable("tmp"));
        assertThat(run.output()).contains("loaded heed/");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void anUnwritableModelCacheIsNamed() throws Exception {
        Path bad = unusable();
        Run run = load(
                "-Dheed.model.cache=" + bad,
                "-DDJL_CACHE_DIR=" + writable("djl"),
                "-Djava.io.tmpdir=" + writable("tmp"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains(bad.toString()).contains("-Dheed.model.cache=<dir>");
    }

    @Test
    void anUnwritableDjlCacheIsNamed() throws Exception {
        Path bad = unusable();
        Run run = load(
                "-Dheed.model.cache=" + writable("models"),
                "-DDJL_CACHE_DIR=" + bad,
                "-Djava.io.tmpdir=" + writable("tmp"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("HF tokenizer's native library")
                .contains(bad.toString())
                .contains("-DDJL_CACHE_DIR=<dir>");
    }

    @Test
    void anUnwritableTempDirectoryIsNamedForOnnxRuntime() throws Exception {
        Path bad = unusable();
        Run run = load(
                "-Dheed.model.cache=" + writable("models"),
                "-DDJL_CACHE_DIR=" + writable("djl"),
                "-Djava.io.tmpdir=" + bad);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("ONNX Runtime unpacks its native library into java.io.tmpdir (" + bad + ")")
                .contains("-Djava.io.tmpdir=<dir>");
    }
}
