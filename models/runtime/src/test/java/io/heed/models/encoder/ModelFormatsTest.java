/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.InferenceDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Heed runs model files only through ONNX Runtime: the one place that hands a file to a deep-learning engine is
 * {@link TransformerEncoder}'s criteria, which ask for the OnnxRuntime engine with DJL's fallback to other engines
 * disabled; the bundled encoder and users' Hugging Face exports ({@link HfOnnxModel}) both load through it. Task heads are plain float arrays read by {@code HeadFile}; nothing is deserialised
 * as Java objects, TorchScript or pickle.
 */
class ModelFormatsTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void theEncoderRunsOnOnnxRuntimeWithoutEngineFallback() {
        try (TransformerEncoder encoder = TransformerEncoder.load(
                EncoderVariant.INT8, EncoderWeights.FROZEN, Windowing.of(128), 1, InferenceDevice.cpu())) {
            assertThat(encoder.engineDescription()).startsWith("OnnxRuntime");
        }
        assertThat(System.getProperty("ai.djl.onnx.disable_alternative")).isEqualTo("true");
    }

    @Test
    void onlyTheEncoderHandsFilesToAnEngine() throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path source : sources) {
            String code = Files.readString(source);
            boolean isEncoder = source.endsWith(Path.of("encoder", "TransformerEncoder.java"));
            if (!isEncoder) {
                assertThat(code)
                        .as("%s loads models through DJL", source)
                        .doesNotContain(
                                "Criteria.builder",
                                "optModelPath",
                                "ModelZoo.loadModel",
                                "Model.newInstance",
                                "OrtEnvironment");
            }
            assertThat(code)
                    .as("%s deserialises Java objects", source)
                    .doesNotContain("ObjectInputStream", "readObject(");
        }
        String encoder =
                Files.readString(MAIN.resolve(Path.of("io", "heed", "models", "encoder", "TransformerEncoder.java")));
        assertThat(encoder)
                .contains(
                        "ENGINE = \"OnnxRuntime\"",
                        "Model.newInstance(onnx.getFileName().toString(), device, ENGINE)",
                        "ai.djl.onnx.disable_alternative");
    }

    @Test
    void sessionsDoNotSpinWait() throws Exception {
        // Idle ONNX Runtime workers must leave the cores to the task threads between runs (TransformerEncoder).
        try (ai.onnxruntime.OrtSession.SessionOptions options = TransformerEncoder.sessionOptions()) {
            assertThat(options.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0");
        }
    }

    @Test
    void anUnwritableModelCacheFailsAtLoadNamingThePropertyToSet(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path notADirectory = Files.createFile(dir.resolve("not-a-directory"));
        String before = System.getProperty(ModelFiles.CACHE_DIR_PROPERTY);
        System.setProperty(
                ModelFiles.CACHE_DIR_PROPERTY, notADirectory.resolve("cache").toString());
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TransformerEncoder.load(
                            EncoderVariant.INT8, EncoderWeights.FROZEN, Windowing.of(64), 1, InferenceDevice.cpu()))
                    .hasMessageContaining("Cannot unpack model file")
                    .hasMessageContaining(notADirectory.resolve("cache").toString())
                    .hasMessageContaining("-Dheed.model.cache=<dir>");
        } finally {
            if (before == null) {
                System.clearProperty(ModelFiles.CACHE_DIR_PROPERTY);
            } else {
                System.setProperty(ModelFiles.CACHE_DIR_PROPERTY, before);
            }
        }
    }
}
