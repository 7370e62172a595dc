/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Derives a tuned encoder from the bundled fp32 ONNX model and an {@link EncoderPatch}: same graph, same initializer
 * names, patched values. This is how the build turns the small committed patch into the runtime model instead of
 * committing a 90 MB file.
 */
public final class PatchedEncoder {
    private PatchedEncoder() {}

    /**
     * Writes the tuned model: {@code --patch encoder-patch.bin --out tuned.onnx}. The base is the bundled fp32 encoder
     * (from the Maven artifact on the classpath).
     */
    public static void main(String[] args) throws IOException {
        java.util.Map<String, String> options = io.heed.models.ToolArguments.parse(
                args, new java.util.LinkedHashMap<>(java.util.Map.of("patch", "", "out", "")));
        if (options.get("patch").isBlank() || options.get("out").isBlank()) {
            throw new IllegalArgumentException("usage: --patch encoder-patch.bin --out tuned.onnx");
        }
        EncoderGraph base = EncoderGraph.read(io.heed.models.encoder.EncoderVariant.FP32.onnxFile());
        Path out = write(base, EncoderPatch.read(Path.of(options.get("patch"))), Path.of(options.get("out")));
        System.out.println("Wrote " + out + " (sha256 " + io.heed.models.Sha256.hex(out) + ")");
    }

    /** The base model with the patch applied. */
    public static ModelProto derive(EncoderGraph base, EncoderPatch patch) {
        return base.withValues(patch.patchedValues(base));
    }

    /** Derives the tuned model and writes it to {@code out} (atomically: readers never see half a file). */
    public static Path write(EncoderGraph base, EncoderPatch patch, Path out) throws IOException {
        return writeModel(derive(base, patch), out);
    }

    /** Writes a model to {@code out} atomically: readers never see half a file. */
    public static Path writeModel(ModelProto tuned, Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "model-", ".onnx.part");
        try (OutputStream stream = Files.newOutputStream(tmp)) {
            tuned.writeTo(stream);
        }
        return Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
